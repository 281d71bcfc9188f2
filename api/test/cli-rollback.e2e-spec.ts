import { EXIT } from '../src/cli/exit-codes.js';
import type { TenantMigrationResult } from '../src/tenancy/tenant-migrator.service.js';
import { LATEST_TENANT_SCHEMA_VERSION, TENANT_MIGRATIONS } from '../src/tenant-schema/tenant-migrations.js';
import { createTenants, onDatabase, rsm, tableChecksums, versionOf } from './support/cli.js';
import { createTestApp, registerStudio, tenantDatabaseOf, type TestApp } from './support/test-app.js';
import { versionOf as migrationVersion } from '../src/tenancy/tenant-schema-steps.js';

const FIRST = migrationVersion(TENANT_MIGRATIONS[0]);

/** Writes rows into every tenant table, as a studio that has been in use would have. */
async function fillWithData(t: TestApp, database: string, n: number): Promise<void> {
  await onDatabase(t, database, async (c) => {
    await c.query(`INSERT INTO clients (name, email, notes) SELECT 'Client ' || i, 'c' || i || '@band.test', repeat('n', i) FROM generate_series(1, $1) i`, [n + 2]);
    const { rows } = await c.query(`INSERT INTO rooms (name, currency, hourly_rate_minor, capacity) VALUES ('Room A', 'EUR', 4500, 6), ('Room B', 'EUR', 3000, NULL) RETURNING id`);
    await c.query(`INSERT INTO equipment (name, category, home_room_id, rate_minor, currency) VALUES ('Neumann U87', 'microphone', $1, 2000, 'EUR'), ('SSL bus comp', 'outboard', NULL, NULL, NULL)`, [rows[0].id]);
    const engineer = (await c.query(`INSERT INTO engineer_profiles (user_id, working_hours, specialties) VALUES (gen_random_uuid(), '[{"weekday":1,"opens":"09:00","closes":"17:00"}]', 'mixing') RETURNING user_id`)).rows[0].user_id;
    const client = (await c.query(`SELECT id FROM clients ORDER BY name LIMIT 1`)).rows[0].id;
    const booking = (
      await c.query(
        `INSERT INTO bookings (client_id, room_id, title, starts_at, ends_at, setup_minutes, hourly_rate_minor, currency, access_code)
         VALUES ($1, $2, 'Session ' || $3::int, '2031-01-06T10:00:00Z'::timestamptz + make_interval(days => $3::int), '2031-01-06T14:00:00Z'::timestamptz + make_interval(days => $3::int), 15, 4500, 'EUR', '12345678') RETURNING id`,
        [client, rows[0].id, n],
      )
    ).rows[0].id;
    await c.query(`INSERT INTO booking_engineers (booking_id, user_id) VALUES ($1, $2)`, [booking, engineer]);
    const mic = (await c.query(`SELECT id FROM equipment WHERE name = 'Neumann U87'`)).rows[0].id;
    await c.query(`INSERT INTO booking_equipment (booking_id, equipment_id) VALUES ($1, $2)`, [booking, mic]);
    await c.query(`INSERT INTO booking_recall_sheets (booking_id, version, tracks, settings, notes) VALUES ($1, 1, jsonb_build_array('Track ' || $2::int), '[{"label":"Vocal mic","value":"U87"}]', 'take 3')`, [booking, n]);
    await c.query(`INSERT INTO calendar_feeds (kind, resource_id, token_hash) VALUES ('room', $1, repeat(md5($2::text), 2))`, [rows[0].id, n]);
    await c.query(`INSERT INTO engineer_time_off (user_id, starts_at, ends_at, reason) VALUES (gen_random_uuid(), now(), now() + interval '2 days', 'holiday')`);
    await c.query(`INSERT INTO audit_log (actor_type, action, target_type, details) VALUES ('user', 'client.created', 'client', '{"n": ${n}}')`);
    // Issue 10: a project with a track, a file with peaks, a deliverable version under review, a comment, an event.
    const project = (await c.query(`INSERT INTO projects (client_id, title, type, budget_minor, budget_currency) VALUES ($1, 'Album ' || $2::int, 'album', 1500000, 'EUR') RETURNING id`, [client, n])).rows[0].id;
    await c.query(`UPDATE bookings SET project_id = $1 WHERE id = $2`, [project, booking]);
    const track = (await c.query(`INSERT INTO tracks (project_id, title, position, isrc, bpm) VALUES ($1, 'Song', 1, 'FRZ031234567', 92.5) RETURNING id`, [project])).rows[0].id;
    const file = (
      await c.query(
        `INSERT INTO files (project_id, track_id, original_name, storage, storage_key, size_bytes, content_type, sha256, peaks_status)
         VALUES ($1, $2, 'mix.wav', 'local', 'key-' || gen_random_uuid(), 1024, 'audio/wav', repeat('a', 64), 'ready') RETURNING id`,
        [project, track],
      )
    ).rows[0].id;
    await c.query(`INSERT INTO file_peaks (file_id, duration_seconds, sample_rate, channels, peaks) VALUES ($1, 3.5, 44100, 2, '[0.1, 0.5]')`, [file]);
    const deliverable = (await c.query(`INSERT INTO deliverables (project_id, track_id, title, rounds_used) VALUES ($1, $2, 'Song, mix', 1) RETURNING id`, [project, track])).rows[0].id;
    const version = (await c.query(`INSERT INTO deliverable_versions (deliverable_id, number, file_id, status, revision_round, decision_note) VALUES ($1, 1, $2, 'changes_requested', 1, 'Vocals up') RETURNING id`, [deliverable, file])).rows[0].id;
    await c.query(`INSERT INTO review_comments (version_id, at_seconds, body, author_user_id, author_name) VALUES ($1, 3.25, 'Vocals up', gen_random_uuid(), 'Ana')`, [version]);
    await c.query(`INSERT INTO outbox (type, subject_type, subject_id, payload) VALUES ('version.changes_requested', 'deliverable', $1, '{"round": 1}')`, [deliverable]);
    await c.query(`UPDATE studio_settings SET time_zone = 'Europe/Paris', default_setup_minutes = $1`, [n]);
    // Issue 11: a tax rate, billing settings, a sequence, a finalized invoice with a line and a deducted deposit,
    // a split share with a Stripe payment, a checkout session, a processed event and an idempotency key.
    await c.query(`UPDATE clients SET billing_address = '1 rue des Studios, Paris', tax_id = 'FR12345678901' WHERE id = $1`, [client]);
    const vat = (await c.query(`INSERT INTO tax_rates (name, rate_percent, is_default) VALUES ('VAT', 20, true) RETURNING id`)).rows[0].id;
    await c.query(`UPDATE billing_settings SET legal_name = 'Studio ' || $1::int, iban = 'FR7630006000011234567890189'`, [n]);
    await c.query(`INSERT INTO document_sequences (kind, period, last_value) VALUES ('invoice', '2031', 2)`);
    const invoice = async (number: string, kind: string) =>
      (
        await c.query(
          `INSERT INTO invoices (kind, status, number, client_id, booking_id, currency, issue_date, due_date, bill_to_name, subtotal_minor, tax_minor, total_minor, balance_minor, finalized_at)
           VALUES ($1, 'sent', $2, $3, $4, 'EUR', '2031-01-06', '2031-02-05', 'Client', 18000, 3600, 21600, 21600, now()) RETURNING id`,
          [kind, number, client, booking],
        )
      ).rows[0].id;
    const deposit = await invoice(`INV-2031-0001-${n}`, 'deposit');
    const final = await invoice(`INV-2031-0002-${n}`, 'invoice');
    await c.query(
      `INSERT INTO invoice_lines (invoice_id, position, kind, booking_id, description, quantity, unit, unit_price_minor, tax_rate_id, tax_name, tax_rate_percent, net_minor, tax_minor, gross_minor)
       VALUES ($1, 1, 'room', $2, 'Room A, 4 h', 4, 'hour', 4500, $3, 'VAT', 20, 18000, 3600, 21600)`,
      [final, booking, vat],
    );
    await c.query(`INSERT INTO invoice_deposits (invoice_id, deposit_invoice_id, tax_rate_percent, net_minor, tax_minor, gross_minor) VALUES ($1, $2, 20, 5000, 1000, 6000)`, [final, deposit]);
    const share = (await c.query(`INSERT INTO invoice_shares (invoice_id, position, payer_name, amount_minor) VALUES ($1, 1, 'Bassist', 7800) RETURNING id`, [final])).rows[0].id;
    await c.query(`INSERT INTO payments (invoice_id, share_id, amount_minor, currency, method, received_on, stripe_payment_intent_id) VALUES ($1, $2, 7800, 'EUR', 'stripe', '2031-01-07', 'pi_' || $3::int)`, [final, share, n]);
    await c.query(`INSERT INTO checkout_sessions (id, invoice_id, share_id, amount_minor, currency, url, stripe_account_id) VALUES ('cs_' || $1::int, $2, $3, 7800, 'EUR', 'http://stripe.test/c', 'acct_1')`, [n, final, share]);
    await c.query(`INSERT INTO stripe_events (id, type) VALUES ('evt_' || $1::int, 'checkout.session.completed')`, [n]);
    await c.query(`INSERT INTO idempotency_keys (scope, key, request_hash, status_code, response) VALUES ('invoice.send:' || $1, 'k1', repeat('b', 64), 202, '{"sent": true}')`, [final]);
    // Issue 11, quotes: an accepted quote with a line and a 30 % deposit; its deposit invoice points back at it.
    const quote = (
      await c.query(
        `INSERT INTO quotes (number, status, client_id, project_id, currency, issue_date, valid_until, bill_to_name, subtotal_minor, tax_minor, total_minor, deposit_percent, sent_at, accepted_at, invoice_id)
         VALUES ('Q-2031-' || $1::int, 'accepted', $2, $3, 'EUR', '2031-01-02', '2031-02-01', 'Client', 18000, 3600, 21600, 30, now(), now(), $4) RETURNING id`,
        [n, client, project, deposit],
      )
    ).rows[0].id;
    await c.query(
      `INSERT INTO quote_lines (quote_id, position, kind, description, quantity, unit, unit_price_minor, tax_rate_id, tax_name, tax_rate_percent, net_minor, tax_minor, gross_minor)
       VALUES ($1, 1, 'room', 'Room A, 4 h', 4, 'hour', 4500, $2, 'VAT', 20, 18000, 3600, 21600)`,
      [quote, vat],
    );
    await c.query(`UPDATE invoices SET quote_id = $1 WHERE id = $2`, [quote, deposit]);
    // Issue 12, portal: a portal account of the client with a live session and an unused magic link.
    const account = (await c.query(`INSERT INTO client_portal_accounts (client_id, email, name, password_hash, last_login_at) VALUES ($1, 'contact-' || $2::int || '@client.test', 'Ana', 'not-a-hash', now()) RETURNING id`, [client, n])).rows[0].id;
    await c.query(`INSERT INTO client_portal_sessions (token_hash, account_id, last_seen_at, idle_expires_at, expires_at, user_agent) VALUES (repeat(md5('s' || $2::text), 2), $1, now(), now() + interval '1 hour', now() + interval '1 day', 'Phone')`, [account, n]);
    await c.query(`INSERT INTO client_portal_tokens (token_hash, account_id, purpose, expires_at) VALUES (repeat(md5('t' || $2::text), 2), $1, 'magic-link', now() + interval '15 minutes')`, [account, n]);
    // Issue 12, bookreq: a pending request and an approved one that made the booking above.
    await c.query(
      `INSERT INTO booking_requests (client_id, portal_account_id, room_id, preferred_slots, duration_minutes, notes) VALUES ($1, $2, $3, '[{"startsAt": "2031-05-01T10:00:00.000Z", "endsAt": "2031-05-01T14:00:00.000Z"}]', 240, 'Vocals')`,
      [client, account, rows[0].id],
    );
    await c.query(
      `INSERT INTO booking_requests (client_id, portal_account_id, preferred_slots, duration_minutes, status, decided_by, decided_at, booking_id) VALUES ($1, $2, '[{"startsAt": "2031-05-02T10:00:00.000Z", "endsAt": "2031-05-02T12:00:00.000Z"}]', 120, 'approved', gen_random_uuid(), now(), $3)`,
      [client, account, booking],
    );
    // Issue 13, realtime: a notification (read) and a preference.
    const event = (await c.query(`SELECT id FROM outbox ORDER BY id LIMIT 1`)).rows[0].id;
    await c.query(
      `INSERT INTO notifications (recipient_user_id, event_id, type, category, title, body, payload, subject_type, subject_id, read_at)
       VALUES (gen_random_uuid(), $1, 'version.changes_requested', 'reviews', 'Changes requested', 'Vocals up', '{"round": 1}', 'deliverable', $2, now())`,
      [event, deliverable],
    );
    await c.query(`INSERT INTO notification_preferences (user_id, category, channel) VALUES (gen_random_uuid(), 'bookings', 'both')`);
    // Issue 13, mailnotify: a sent reminder in the mail queue, and non-default reminder offsets.
    await c.query(
      `INSERT INTO mail_deliveries (dedupe_key, kind, to_address, subject, body_text, attachments, booking_id, booking_starts_at, reminder_offset_minutes, attempts, sent_at)
       VALUES ('reminder:' || $1::int, 'booking-reminder', 'band@client.test', 'Reminder', 'See you', '[{"filename":"a.ics","contentType":"text/calendar","content":"BEGIN:VCALENDAR"}]', gen_random_uuid(), now(), 120, 1, now())`,
      [n],
    );
    await c.query(`UPDATE studio_settings SET reminder_offsets_minutes = '{60}'`);
    // Issue 13, webhooks: an endpoint that has been failing, with a delivered event and a retried one.
    const hook = (await c.query(`INSERT INTO webhook_endpoints (url, description, events, secret, failing_since) VALUES ('https://hooks.test/' || $1::int, 'Sync', '{booking.created,invoice.paid}', 'whsec_' || md5($1::text), now()) RETURNING id`, [n])).rows[0].id;
    await c.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, data, event_created_at, status, attempt_count, next_attempt_at, give_up_at, last_attempt_at, last_response_code, last_duration_ms, last_error)
       VALUES ($1, $2, 'version.changes_requested', '{"round": 1}', now(), 'succeeded', 1, NULL, now() + interval '3 days', now(), 200, 35, NULL),
              ($1, NULL, 'ping', '{}', now(), 'failed', 2, now() + interval '4 minutes', now() + interval '3 days', now(), 500, 120, 'HTTP 500')`,
      [hook, event],
    );
    // Issue 13, board: a portal notification (unread) of the client's portal account.
    await c.query(
      `INSERT INTO portal_notifications (portal_account_id, event_id, type, title, payload, subject_type, subject_id) VALUES ($1, $2, 'version.uploaded', 'A new version is ready', '{"number": 1}', 'deliverable_version', gen_random_uuid())`,
      [account, event],
    );
  });
}

/** Issue 8: `rsm migrate --to <version>` rolls every tenant back with each migration's `down`, and forward again. */
describe('rsm migrate --to: rollback and forward keep every row', () => {
  let t: TestApp;
  let databases: string[];
  let studio: Awaited<ReturnType<typeof registerStudio>>;

  beforeAll(async () => {
    t = await createTestApp();
    studio = await registerStudio(t, 'Rollback');
    const ids = [studio.organizationId, ...(await createTenants(t, 4))];
    databases = await Promise.all(ids.map((id) => tenantDatabaseOf(t, id)));
    for (const [i, db] of databases.entries()) await fillWithData(t, db, i);
    await t.http().post('/api/v1/clients').set('cookie', studio.cookie).send({ name: 'Through the API' }).expect(201);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('down to the first migration and up again: row counts and per-table checksums are equal', async () => {
    const before = await Promise.all(databases.map((db) => tableChecksums(t, db)));
    expect(Object.keys(before[0]).sort()).toEqual([
      'audit_log',
      'billing_settings',
      'booking_engineers',
      'booking_equipment',
      'booking_recall_sheets',
      'booking_requests',
      'bookings',
      'calendar_feeds',
      'checkout_sessions',
      'client_portal_accounts',
      'client_portal_sessions',
      'client_portal_tokens',
      'clients',
      'deliverable_versions',
      'deliverables',
      'document_sequences',
      'engineer_profiles',
      'engineer_time_off',
      'equipment',
      'file_peaks',
      'files',
      'idempotency_keys',
      'invoice_deposits',
      'invoice_lines',
      'invoice_shares',
      'invoices',
      'mail_deliveries',
      'notification_preferences',
      'notifications',
      'outbox',
      'payments',
      'portal_notifications',
      'projects',
      'quote_lines',
      'quotes',
      'review_comments',
      'rooms',
      'stripe_events',
      'studio_settings',
      'tax_rates',
      'tracks',
      'webhook_deliveries',
      'webhook_endpoints',
    ]);
    expect(before.every((tables) => Object.values(tables).every((table) => table.rows > 0))).toBe(true);

    const down = await rsm(t, ['migrate', '--to', FIRST, '--json']);
    expect(down.code).toBe(EXIT.OK);
    const report = down.json<{ tenants: TenantMigrationResult[]; template: Array<{ name: string; direction: string }> }>();
    const reverted = TENANT_MIGRATIONS.slice(1).map((m) => m.name).reverse();
    expect(report.template.map((s) => `${s.direction} ${s.name}`)).toEqual(reverted.map((n) => `down ${n}`));
    expect(report.tenants).toHaveLength(databases.length);
    for (const result of report.tenants) {
      expect(result).toMatchObject({ outcome: 'migrated', fromVersion: LATEST_TENANT_SCHEMA_VERSION, toVersion: FIRST });
      expect(result.steps.map((s) => s.name)).toEqual(reverted);
    }
    for (const db of [...databases, t.config.tenancy.templateDatabase]) {
      expect(await versionOf(t, db)).toBe(FIRST);
      expect(Object.keys(await tableChecksums(t, db))).toEqual(['clients']); // the old release's schema
    }
    const { rows } = await t.control.query(`SELECT DISTINCT schema_version::text AS v FROM tenant_databases`);
    expect(rows).toEqual([{ v: FIRST }]);

    const up = await rsm(t, ['migrate', '--json']);
    expect(up.code).toBe(EXIT.OK);
    expect(up.json<{ summary: Record<string, number> }>().summary).toMatchObject({ migrated: databases.length, failed: 0 });
    const after = await Promise.all(databases.map((db) => tableChecksums(t, db)));
    expect(after).toEqual(before);
    expect(await versionOf(t, t.config.tenancy.templateDatabase)).toBe(LATEST_TENANT_SCHEMA_VERSION);
    // And the studio is served again, with its data.
    const list = await t.http().get('/api/v1/clients').set('cookie', studio.cookie).expect(200);
    expect(list.body.items.map((c: { name: string }) => c.name)).toContain('Through the API');
  }, 120_000);

  it('one step back (the previous release) and forward again, on the registry and the databases', async () => {
    const previous = migrationVersion(TENANT_MIGRATIONS.at(-2)!);
    const before = await Promise.all(databases.map((db) => tableChecksums(t, db)));
    const down = await rsm(t, ['migrate', '--to', previous]);
    expect(down.code).toBe(EXIT.OK);
    expect(down.stdout).toMatch(new RegExp(`migrated\\s+${databases.length}\\b`));
    for (const db of databases) expect(await versionOf(t, db)).toBe(previous);
    expect((await rsm(t, ['migrate'])).code).toBe(EXIT.OK);
    expect(await Promise.all(databases.map((db) => tableChecksums(t, db)))).toEqual(before);
  }, 120_000);

  it('a database recording a migration this release does not know refuses its rollback alone, changed in nothing; the others roll back', async () => {
    const previous = migrationVersion(TENANT_MIGRATIONS.at(-2)!);
    const [victim, ...others] = databases;
    const newer = 'FromANewerRelease1999999999999';
    await onDatabase(t, victim, (c) => c.query(`INSERT INTO migrations ("timestamp", name) VALUES (1999999999999, $1)`, [newer]));
    const before = await tableChecksums(t, victim);
    try {
      const down = await rsm(t, ['migrate', '--to', previous]);
      expect(down.code).toBe(EXIT.TENANTS_FAILED);
      expect(down.stdout).toMatch(/failed\s+1\b/);
      const { rows } = await t.control.query(`SELECT migration_error AS error FROM tenant_databases WHERE database_name = $1`, [victim]);
      expect(rows[0].error).toMatch(new RegExp(`Migration ${newer} is applied in this database but not known to this release`));
      // Refused before any step: the database and its migrations rows are as they were.
      expect(await tableChecksums(t, victim)).toEqual(before);
      await onDatabase(t, victim, async (c) => expect((await c.query(`SELECT count(*)::int AS n FROM migrations WHERE name = $1`, [newer])).rows[0].n).toBe(1));
      for (const db of others) expect(await versionOf(t, db)).toBe(previous);
    } finally {
      await onDatabase(t, victim, (c) => c.query(`DELETE FROM migrations WHERE name = $1`, [newer]));
      expect((await rsm(t, ['migrate'])).code).toBe(EXIT.OK);
    }
    for (const db of databases) expect(await versionOf(t, db)).toBe(LATEST_TENANT_SCHEMA_VERSION);
  }, 120_000);

  it('an unknown --to version is a usage error that changes nothing', async () => {
    const run = await rsm(t, ['migrate', '--to', '1234567890123']);
    expect(run.code).toBe(EXIT.USAGE);
    expect(run.stderr).toMatch(/unknown tenant schema version 1234567890123/);
    for (const db of databases) expect(await versionOf(t, db)).toBe(LATEST_TENANT_SCHEMA_VERSION);
  });
});
