// Many studios fast (issue 14, many-tenants): what sign-up leaves behind, written straight into the
// databases instead of 1,000 `POST /auth/register` (each hashes a password with argon2 and sends an
// email: minutes on 2 cores). Per studio: its tenant database copied from the migrated template and
// stamped with its owner (as bench/migrate does), its login role through the API's own TenantRoles
// (imported from api/dist, so the password the app derives is the one set), `clientsPerStudio` clients
// whose names start with the studio's distinctive prefix, and in the control database the
// organization, owner, membership, `ready` registry row, a live session and the background sweep's hint
// (a visit due within 15 minutes). Returns each studio's session cookie and name prefix.
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import pg from 'pg';

/** The prefix every client name of studio `i` starts with (the trailing space keeps "Studio 1 " apart from "Studio 10 "). */
export const studioNamePrefix = (i) => `Studio ${i} `;

/** Runs `fn(item, worker)` over `items`, `concurrency` at a time. */
async function eachConcurrently(items, concurrency, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, items.length) }, async (_, worker) => {
      while (next < items.length) await fn(items[next++], worker);
    }),
  );
}

/**
 * `serverUrl(db)`: a superuser URL for database `db` (bench/lib/postgres.mjs); `controlDatabase`,
 * `templateDatabase`, `prefix`, `secretKey`: the app's DATABASE_URL database, TENANT_TEMPLATE_DATABASE,
 * TENANT_DATABASE_PREFIX and RSM_SECRET_KEY (the app must have started once: template and group role exist).
 */
export async function provisionStudios({ rootDir, serverUrl, controlDatabase, templateDatabase, prefix, secretKey, cookieName, count, clientsPerStudio = 20, concurrency = 4, relaxDurability = false, log = () => {} }) {
  const dist = (file) => pathToFileURL(path.join(rootDir, 'api/dist', file)).href;
  const { TenantRoles } = await import(dist('tenancy/tenant-roles.js'));
  const { LATEST_TENANT_SCHEMA_VERSION } = await import(dist('tenant-schema/tenant-migrations.js'));
  const roles = new TenantRoles({ tenancy: { databasePrefix: prefix }, secretKey, databaseUrl: serverUrl(controlDatabase) });

  const studios = Array.from({ length: count }, (_, index) => {
    const id = randomUUID();
    const token = randomBytes(32).toString('base64url');
    return { index, id, userId: randomUUID(), database: roles.roleFor(id), token, cookie: `${cookieName}=${token}`, prefix: studioNamePrefix(index) };
  });

  const started = performance.now();
  if (relaxDurability) await durability(serverUrl('postgres'), false);
  const admins = await Promise.all(
    Array.from({ length: concurrency }, async () => {
      const c = new pg.Client({ connectionString: serverUrl('postgres') });
      await c.connect();
      return c;
    }),
  );
  try {
    let done = 0;
    await eachConcurrently(studios, concurrency, async (s, worker) => {
      const admin = admins[worker];
      const sql = async (statement, params) => (await admin.query(statement, params)).rows;
      await admin.query(copyDatabaseSql(s.database, templateDatabase));
      await admin.query(`COMMENT ON DATABASE "${s.database}" IS 'rsm:tenant:${s.id}'`);
      await roles.ensureTenantRole(sql, s.database, s.id);
      const tenant = new pg.Client({ connectionString: serverUrl(s.database) });
      await tenant.connect();
      try {
        await tenant.query(`INSERT INTO clients (name) SELECT $1 || 'client ' || lpad(g::text, 3, '0') FROM generate_series(1, $2) g`, [s.prefix, clientsPerStudio]);
      } finally {
        await tenant.end();
      }
      if (++done % 200 === 0) log(`${done}/${count} tenant databases`);
    });
  } finally {
    await Promise.all(admins.map((c) => c.end()));
    if (relaxDurability) await durability(serverUrl('postgres'), true);
  }

  const control = new pg.Client({ connectionString: serverUrl(controlDatabase) });
  await control.connect();
  try {
    const col = (pick) => studios.map(pick);
    const now = new Date();
    await control.query('BEGIN');
    await control.query(`INSERT INTO organizations (id, name, slug) SELECT id, 'Bench studio ' || i, 'bench-studio-' || i FROM unnest($1::uuid[], $2::int[]) AS x(id, i)`, [col((s) => s.id), col((s) => s.index)]);
    // Nobody signs in with a password here; the hash is a placeholder that matches no password.
    await control.query(
      `INSERT INTO users (id, name, email, password_hash, email_verified_at) SELECT id, 'Owner ' || i, 'owner-' || i || '@bench.example', 'bench:no-password', $3 FROM unnest($1::uuid[], $2::int[]) AS x(id, i)`,
      [col((s) => s.userId), col((s) => s.index), now],
    );
    await control.query(`INSERT INTO memberships (organization_id, user_id, role) SELECT o, u, 'owner' FROM unnest($1::uuid[], $2::uuid[]) AS x(o, u)`, [col((s) => s.id), col((s) => s.userId)]);
    await control.query(
      `INSERT INTO tenant_databases (organization_id, database_name, server, schema_version, status) SELECT o, d, 'default', $3, 'ready' FROM unnest($1::uuid[], $2::text[]) AS x(o, d)`,
      [col((s) => s.id), col((s) => s.database), LATEST_TENANT_SCHEMA_VERSION],
    );
    await control.query(
      `INSERT INTO sessions (token_hash, user_id, organization_id, last_seen_at, idle_expires_at, expires_at)
       SELECT h, u, o, $4, $4::timestamptz + interval '1 day', $4::timestamptz + interval '1 day' FROM unnest($1::text[], $2::uuid[], $3::uuid[]) AS x(h, u, o)`,
      [col((s) => createHash('sha256').update(s.token).digest('hex')), col((s) => s.userId), col((s) => s.id), now],
    );
    // Studios that have been running a while (issue 14, the studio sweep): each one's background work looked
    // at within the last 15 minutes, so its next visit falls anywhere in the next 15 — about one studio a
    // second at 1,000 — rather than all 1,000 at once as for studios that appeared this very minute.
    // (A build from before the table has no such sweep to pace.)
    if ((await control.query(`SELECT to_regclass('studio_wakeups') IS NOT NULL AS present`)).rows[0].present) {
      await control.query(`INSERT INTO studio_wakeups (organization_id, due_at) SELECT o, now() + random() * interval '15 minutes' FROM unnest($1::uuid[]) AS x(o)`, [col((s) => s.id)]);
    }
    await control.query('COMMIT');
  } finally {
    await control.end();
  }
  return { studios, ms: performance.now() - started };
}

/**
 * The bench's copy of a tenant database: FILE_COPY copies the template's files as they are. The default
 * (WAL_LOG, PostgreSQL 15+) writes every block of the ~10 MB template into the WAL as well: 1,000 copies
 * made ~5.5 GB of WAL whose checkpoints and write-back were still running when the timed runs began.
 */
export const copyDatabaseSql = (database, template) => `CREATE DATABASE "${database}" TEMPLATE "${template}" STRATEGY = FILE_COPY`;

/**
 * Durability off (`on` false) or back on, for the set-up of 1,000 databases on the bench's own
 * throw-away server only: without fsync the copies take a fraction of the time. Turning it back on
 * checkpoints and waits for the operating system to write its dirty pages (`sync`), so nothing of
 * the set-up is still being written while the runs are timed.
 */
export async function durability(url, on) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(on ? 'ALTER SYSTEM RESET fsync' : 'ALTER SYSTEM SET fsync = off');
    await c.query(on ? 'ALTER SYSTEM RESET synchronous_commit' : 'ALTER SYSTEM SET synchronous_commit = off');
    await c.query('SELECT pg_reload_conf()');
    if (on) await c.query('CHECKPOINT');
  } finally {
    await c.end();
  }
  if (on) execFileSync('sync');
}
