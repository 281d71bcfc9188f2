import { createHash, randomBytes } from 'node:crypto';
import type pg from 'pg';
import { connectTenantDatabase, registerStudio, type TestApp } from './test-app.js';

/**
 * Issue 9 (bookings): a studio with what bookings refer to. Rooms, equipment and time off are written
 * straight into the studio's database (their API belongs to the resources module); engineers are members
 * added to the control database; clients go through the API.
 */
export async function bookingStudio(t: TestApp, label = 'Bookings') {
  const studio = await registerStudio(t, label);
  const db: pg.Client = await connectTenantDatabase(t, studio.organizationId);
  const http = t.http();
  const as = (cookie: string) => ({
    get: (url: string) => http.get(url).set('cookie', cookie),
    post: (url: string) => http.post(url).set('cookie', cookie),
    patch: (url: string) => http.patch(url).set('cookie', cookie),
  });
  let n = 0;
  return {
    ...studio,
    db,
    api: as(studio.cookie),
    as,
    async room(values: { hourlyRateMinor?: number; dayRateMinor?: number | null; minNoticeMinutes?: number; minLengthMinutes?: number; maxLengthMinutes?: number | null; openingHours?: unknown; active?: boolean } = {}) {
      const { rows } = await db.query(
        `INSERT INTO rooms (name, currency, hourly_rate_minor, day_rate_minor, min_notice_minutes, min_length_minutes, max_length_minutes, opening_hours, active)
         VALUES ($1, 'EUR', $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          `Room ${++n} ${randomBytes(3).toString('hex')}`,
          values.hourlyRateMinor ?? 5000,
          values.dayRateMinor ?? null,
          values.minNoticeMinutes ?? 0,
          values.minLengthMinutes ?? 30,
          values.maxLengthMinutes ?? null,
          values.openingHours === undefined ? null : JSON.stringify(values.openingHours),
          values.active ?? true,
        ],
      );
      return rows[0].id as string;
    },
    async equipment(values: { status?: string; rateMinor?: number | null; rateUnit?: 'hour' | 'session' } = {}) {
      const { rows } = await db.query(
        `INSERT INTO equipment (name, category, status, rate_minor, rate_unit, currency) VALUES ($1, 'mic', $2, $3, $4, 'EUR') RETURNING id`,
        [`Mic ${++n}`, values.status ?? 'available', values.rateMinor ?? null, values.rateUnit ?? 'session'],
      );
      return rows[0].id as string;
    },
    async client(name = 'The Midnight Owls') {
      const res = await http.post('/api/v1/clients').set('cookie', studio.cookie).send({ name });
      if (res.status !== 201) throw new Error(`client: ${res.status}`);
      return res.body.id as string;
    },
    /** A member of this studio with `role` (engineer by default); returns their user id. */
    async member(role: 'viewer' | 'engineer' | 'admin' | 'owner' = 'engineer') {
      const { rows } = await t.control.query(`INSERT INTO users (name, email, password_hash) VALUES ($1, $2, 'not-a-hash') RETURNING id`, [
        `Engineer ${n}`,
        `eng-${randomBytes(5).toString('hex')}@bookings.test`,
      ]);
      await t.control.query(`INSERT INTO memberships (organization_id, user_id, role) VALUES ($1, $2, $3)`, [studio.organizationId, rows[0].id, role]);
      return rows[0].id as string;
    },
    /** A session cookie for a member (written behind the app's back, like the authorization matrix). */
    async cookieOf(userId: string) {
      const token = randomBytes(32).toString('base64url');
      await t.control.query(
        `INSERT INTO sessions (token_hash, user_id, organization_id, last_seen_at, idle_expires_at, expires_at)
         VALUES ($1, $2, $3, now(), now() + interval '1 hour', now() + interval '1 hour')`,
        [createHash('sha256').update(token).digest('hex'), userId, studio.organizationId],
      );
      return `rsm_session=${token}`;
    },
    async count(table = 'bookings', where = 'true') {
      return Number((await db.query(`SELECT count(*) FROM ${table} WHERE ${where}`)).rows[0].count);
    },
    async close() {
      await db.end();
    },
  };
}

export type BookingStudio = Awaited<ReturnType<typeof bookingStudio>>;

/** An instant `hours` after 2030-01-07T00:00Z (a Monday), far enough ahead for every notice rule. */
export const at = (hours: number) => new Date(Date.UTC(2030, 0, 7) + hours * 3_600_000).toISOString();
