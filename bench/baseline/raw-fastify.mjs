// Raw Fastify + pg baseline for GET /api/v1/clients.
//
// It does the same work as the API's clients list with no framework on top:
// read the session cookie, sha256-hex the token, look the session up in the
// control database (which also names the studio's tenant database), then list
// the first page of clients from that tenant database and return
// { items, nextCursor, total }. One pg.Pool for the control database (max 10) and
// one per tenant database (max 3), as the API does.
//
// Env: DATABASE_URL (control database, required), PORT (default 3100),
// HOST (default 127.0.0.1), CONTROL_POOL_SIZE (10), TENANT_POOL_SIZE (3).
// Run by bench/hot/run.mjs as its own child process: baseline (2) of the hot read, "naive" (the
// statements unprepared, its own session query). Issue 14 brought its answer up to the API's current
// one (billingAddress and taxId of issue 11, the total, the [sort, key, id] cursor) so that the bodies
// can be compared byte for byte; the total costs it a third round trip, as it costs the API.
import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import pg from 'pg';

const CONTROL_URL = process.env.DATABASE_URL;
if (!CONTROL_URL) {
  console.error('raw-fastify: DATABASE_URL is required');
  process.exit(2);
}
const PORT = Number(process.env.PORT ?? 3100);
const HOST = process.env.HOST ?? '127.0.0.1';
const CONTROL_POOL_SIZE = Number(process.env.CONTROL_POOL_SIZE ?? 10);
const TENANT_POOL_SIZE = Number(process.env.TENANT_POOL_SIZE ?? 3);
const COOKIE_NAMES = ['__Host-rsm_session', 'rsm_session'];
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

const SESSION_SQL = `SELECT s.user_id, s.organization_id, m.role, t.database_name
  FROM sessions s
  JOIN memberships m ON m.organization_id = s.organization_id AND m.user_id = s.user_id
  JOIN tenant_databases t ON t.organization_id = s.organization_id
  WHERE s.token_hash = $1 AND s.expires_at > now() AND s.idle_expires_at > now() AND t.status = 'ready'`;
const COLUMNS = 'id, name, email, phone, company, notes, billing_address, tax_id, created_at, updated_at, lower(name) AS sort_key';
const COUNT_SQL = 'SELECT count(*)::int AS total FROM clients';
const FIRST_PAGE_SQL = `SELECT ${COLUMNS} FROM clients ORDER BY lower(name), id LIMIT $1`;
const NEXT_PAGE_SQL = `SELECT ${COLUMNS} FROM clients
  WHERE (lower(name), id) > ($2, $3::uuid) ORDER BY lower(name), id LIMIT $1`;

const controlPool = new pg.Pool({ connectionString: CONTROL_URL, max: CONTROL_POOL_SIZE });
controlPool.on('error', (err) => console.error('raw-fastify: control pool error', err.message));
const tenantPools = new Map();

function tenantPool(databaseName) {
  let pool = tenantPools.get(databaseName);
  if (!pool) {
    const url = new URL(CONTROL_URL);
    url.pathname = `/${encodeURIComponent(databaseName)}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: TENANT_POOL_SIZE });
    pool.on('error', (err) => console.error('raw-fastify: tenant pool error', err.message));
    tenantPools.set(databaseName, pool);
  }
  return pool;
}

/** Value of the first session cookie found in a Cookie header, or undefined. */
function readSessionToken(cookieHeader) {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (COOKIE_NAMES.includes(name)) {
      let value = part.slice(eq + 1).trim();
      if (value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}

// Opaque to clients: base64url JSON of [sort, the last row's sort key lower(name), id], as the API does.
const encodeCursor = (row) => Buffer.from(JSON.stringify(['name', row.sort_key, row.id])).toString('base64url');
function decodeCursor(cursor) {
  try {
    const value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 3 && value[0] === 'name' && typeof value[1] === 'string' && /^[0-9a-f-]{36}$/i.test(value[2])) {
      return value.slice(1);
    }
  } catch {
    // fall through
  }
  return undefined;
}

const toItem = (row) => ({
  id: row.id,
  name: row.name,
  email: row.email,
  phone: row.phone,
  company: row.company,
  notes: row.notes,
  billingAddress: row.billing_address,
  taxId: row.tax_id,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

const app = Fastify({ logger: false });

app.get('/health', async () => ({ status: 'ok' }));

app.get('/api/v1/clients', async (request, reply) => {
  const token = readSessionToken(request.headers.cookie);
  if (!token) return reply.code(401).send({ statusCode: 401, message: 'Unauthorized' });
  const tokenHash = createHash('sha256').update(token).digest('hex');
  const { rows: sessions } = await controlPool.query(SESSION_SQL, [tokenHash]);
  if (sessions.length === 0) return reply.code(401).send({ statusCode: 401, message: 'Unauthorized' });

  const { limit: rawLimit, cursor: rawCursor } = request.query;
  const limit = rawLimit === undefined ? DEFAULT_LIMIT : Number(rawLimit);
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    return reply.code(400).send({ statusCode: 400, message: 'Invalid limit' });
  }
  let cursor;
  if (rawCursor !== undefined && rawCursor !== '') {
    cursor = decodeCursor(String(rawCursor));
    if (!cursor) return reply.code(400).send({ statusCode: 400, message: 'Invalid cursor' });
  }

  const pool = tenantPool(sessions[0].database_name);
  const { rows } = cursor
    ? await pool.query(NEXT_PAGE_SQL, [limit + 1, cursor[0], cursor[1]])
    : await pool.query(FIRST_PAGE_SQL, [limit + 1]);
  const { rows: counted } = await pool.query(COUNT_SQL);
  const page = rows.slice(0, limit);
  return {
    items: page.map(toItem),
    nextCursor: rows.length > limit ? encodeCursor(page[page.length - 1]) : null,
    total: counted[0].total,
  };
});

// Issue 14, client-create scenario: the same write as POST /api/v1/clients — the client and its audit entry
// in one tenant transaction — with no framework (validation reduced to "a name of 1..200 characters").
const SESSION_ACTOR_SQL = `SELECT s.user_id, u.email, t.database_name FROM sessions s JOIN users u ON u.id = s.user_id
  JOIN tenant_databases t ON t.organization_id = s.organization_id
  WHERE s.token_hash = $1 AND s.expires_at > now() AND s.idle_expires_at > now() AND t.status = 'ready'`;
const INSERT_CLIENT_SQL = `INSERT INTO clients (name, email, phone, company, notes, billing_address, tax_id)
  VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id, name, email, phone, company, notes, billing_address, tax_id, created_at, updated_at`;
const INSERT_AUDIT_SQL = `INSERT INTO audit_log (actor_type, actor_id, actor_label, action, target_type, target_id, ip, details)
  VALUES ('user', $1, $2, 'client.created', 'client', $3, $4, $5)`;
app.post('/api/v1/clients', async (request, reply) => {
  const token = readSessionToken(request.headers.cookie);
  if (!token) return reply.code(401).send({ statusCode: 401, message: 'Unauthorized' });
  const { rows: sessions } = await controlPool.query(SESSION_ACTOR_SQL, [createHash('sha256').update(token).digest('hex')]);
  if (sessions.length === 0) return reply.code(401).send({ statusCode: 401, message: 'Unauthorized' });
  const body = request.body ?? {};
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 200) return reply.code(400).send({ statusCode: 400, message: 'Invalid name' });
  const client = await tenantPool(sessions[0].database_name).connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query(INSERT_CLIENT_SQL, [body.name, body.email ?? null, body.phone ?? null, body.company ?? null, body.notes ?? null, body.billingAddress ?? null, body.taxId ?? null]);
    await client.query(INSERT_AUDIT_SQL, [sessions[0].user_id, sessions[0].email, rows[0].id, request.ip, { name: rows[0].name }]);
    await client.query('COMMIT');
    return reply.code(201).send(toItem(rows[0]));
  } catch (err) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    client.release();
  }
});

let closing = false;
async function shutdown(signal) {
  if (closing) return;
  closing = true;
  const timer = setTimeout(() => process.exit(1), 5000);
  timer.unref();
  try {
    await app.close();
    await Promise.all([controlPool.end(), ...[...tenantPools.values()].map((p) => p.end())]);
  } finally {
    process.exit(signal === 'SIGINT' ? 130 : 0);
  }
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));

await app.listen({ port: PORT, host: HOST });
console.log(`raw-fastify baseline listening on http://${HOST}:${PORT}`);
