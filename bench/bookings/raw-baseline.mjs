// Raw Fastify + pg baseline for the bookings bench (issue 9): the same two endpoints as the API with
// nothing on top. Session cookie → sha256 → session/tenant lookup in the control database, then on the
// studio's database:
//   GET  /api/v1/bookings?from&to  the week query (same SQL shape as the API: span && range, client
//        name joined, engineer and equipment ids aggregated), { items }
//   POST /api/v1/bookings          room rates → INSERT (the same triggers and exclusion constraints do the
//        conflict check) → 201, or 409 on exclusion_violation (23P01)
// No validation, no booking rules, no audit entry, no pre-check query: the floor the API is compared to.
//
// Env: DATABASE_URL (control database, required; its role also opens the tenant databases), PORT, HOST.
import { createHash, randomInt } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const CONTROL_URL = process.env.DATABASE_URL;
if (!CONTROL_URL) {
  console.error('raw-baseline: DATABASE_URL is required');
  process.exit(2);
}
const PORT = Number(process.env.PORT ?? 3101);
const HOST = process.env.HOST ?? '127.0.0.1';

const SESSION_SQL = `SELECT s.organization_id, t.database_name FROM sessions s
  JOIN tenant_databases t ON t.organization_id = s.organization_id
  WHERE s.token_hash = $1 AND s.expires_at > now() AND s.idle_expires_at > now() AND t.status = 'ready'`;
const WEEK_SQL = `SELECT b.id, b.title, b.status, b.client_id, c.name AS client_name, b.room_id, b.starts_at, b.ends_at,
    b.setup_minutes, b.teardown_minutes, b.hold_expires_at, b.hourly_rate_minor, b.day_rate_minor, b.currency,
    ARRAY(SELECT e.user_id FROM booking_engineers e WHERE e.booking_id = b.id ORDER BY e.user_id) AS engineer_ids,
    ARRAY(SELECT q.equipment_id FROM booking_equipment q WHERE q.booking_id = b.id ORDER BY q.equipment_id) AS equipment_ids
  FROM bookings b JOIN clients c ON c.id = b.client_id
  WHERE b.span && tstzrange($1, $2, '[)') AND b.starts_at < $2 AND b.ends_at > $1
    AND b.status IN ('hold', 'confirmed', 'in_progress', 'completed')
  ORDER BY b.starts_at, b.id`;

const control = new pg.Pool({ connectionString: CONTROL_URL, max: 10 });
const tenants = new Map();
const tenantPool = (database) => {
  let pool = tenants.get(database);
  if (!pool) {
    const url = new URL(CONTROL_URL);
    url.pathname = `/${database}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: 3 });
    tenants.set(database, pool);
  }
  return pool;
};

async function tenantOf(request, reply) {
  const token = /(?:^|;\s*)(?:__Host-)?rsm_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  if (!token) return void reply.code(401).send({ status: 401 });
  const { rows } = await control.query(SESSION_SQL, [createHash('sha256').update(token).digest('hex')]);
  if (!rows[0]) return void reply.code(401).send({ status: 401 });
  return tenantPool(rows[0].database_name);
}

const app = Fastify({ logger: false });
app.get('/health', async () => ({ ok: true }));
app.get('/api/v1/bookings', async (request, reply) => {
  const pool = await tenantOf(request, reply);
  if (!pool) return reply;
  const { from, to } = request.query;
  const { rows } = await pool.query(WEEK_SQL, [from, to]);
  return {
    items: rows.map((r) => ({
      id: r.id,
      title: r.title,
      status: r.status,
      clientId: r.client_id,
      client: { id: r.client_id, name: r.client_name },
      roomId: r.room_id,
      engineerIds: r.engineer_ids,
      equipmentIds: r.equipment_ids,
      startsAt: r.starts_at.toISOString(),
      endsAt: r.ends_at.toISOString(),
      setupMinutes: r.setup_minutes,
      teardownMinutes: r.teardown_minutes,
      holdExpiresAt: r.hold_expires_at?.toISOString() ?? null,
      rate: { hourlyRateMinor: r.hourly_rate_minor, dayRateMinor: r.day_rate_minor, currency: r.currency },
    })),
  };
});
app.post('/api/v1/bookings', async (request, reply) => {
  const pool = await tenantOf(request, reply);
  if (!pool) return reply;
  const b = request.body;
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows: rooms } = await client.query(`SELECT hourly_rate_minor, day_rate_minor, currency FROM rooms WHERE id = $1 FOR SHARE`, [b.roomId]);
    if (!rooms[0]) {
      await client.query('ROLLBACK');
      return reply.code(400).send({ status: 400 });
    }
    const { rows } = await client.query(
      `INSERT INTO bookings (client_id, room_id, title, starts_at, ends_at, hourly_rate_minor, day_rate_minor, currency, access_code)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [b.clientId, b.roomId, b.title, b.startsAt, b.endsAt, rooms[0].hourly_rate_minor, rooms[0].day_rate_minor, rooms[0].currency, String(randomInt(0, 1e8)).padStart(8, '0')],
    );
    await client.query('COMMIT');
    return reply.code(201).send({ id: rows[0].id });
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    if (err.code === '23P01') return reply.code(409).send({ status: 409 });
    throw err;
  } finally {
    client.release();
  }
});

await app.listen({ port: PORT, host: HOST });
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    await app.close();
    await control.end();
    for (const pool of tenants.values()) await pool.end();
    process.exit(0);
  });
}
