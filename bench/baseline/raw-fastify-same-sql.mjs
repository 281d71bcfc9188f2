// Baseline (1) of the hot read (issue 14): GET /api/v1/clients in raw Fastify + pg, issuing the very
// statements the API issues, the way it issues them — the practical limit of the app.
//
// The SQL is imported from the built API (api/dist), not copied: the session lookup
// (auth/session-lookup.sql.js) and the clients list's page and total (clients/clients-list.query.js),
// each as a named prepared statement unless DB_PREPARED_STATEMENTS=false, exactly as TypedSql runs them.
// The answer is built by the API's own row mapping and cursor encoding, so the bytes are the same. What
// is left out is the framework: no security headers, request ids, logging, guards, validation pipes or
// AsyncLocalStorage. The tenant's database is found once per organization and kept (the API keeps an
// open pool per tenant the same way).
//
// Env: DATABASE_URL (control database, required), PORT (3101), HOST (127.0.0.1), DB_PREPARED_STATEMENTS,
// and the API's own variables that shape the SQL (SUBSCRIPTION_GRACE_DAYS, STRIPE_PRICE_ID), read by its loadConfig.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Fastify from 'fastify';
import pg from 'pg';

const apiDist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../api/dist');
const load = (file) => import(pathToFileURL(path.join(apiDist, file)).href);
const { sessionLookupQuery } = await load('auth/session-lookup.sql.js');
const { clientListStatements, encodeClientCursor } = await load('clients/clients-list.query.js');
const { loadConfig } = await load('config/app-config.js');

const CONTROL_URL = process.env.DATABASE_URL;
if (!CONTROL_URL) {
  console.error('raw-fastify-same-sql: DATABASE_URL is required');
  process.exit(2);
}
const config = loadConfig({ ...process.env, NODE_ENV: 'test' });
const PORT = Number(process.env.PORT ?? 3101);
const HOST = process.env.HOST ?? '127.0.0.1';
const COOKIE = /(?:^|;\s*)(?:__Host-)?rsm_session=([^;]+)/;
const lookup = sessionLookupQuery(config.subscription);
const prepared = config.preparedStatements;

const run = async (pool, query, params) => {
  const { rows } = await pool.query(prepared ? { name: query.name, text: query.text, values: params } : { text: query.text, values: params });
  return rows.map(query.toResult);
};

const controlPool = new pg.Pool({ connectionString: CONTROL_URL, max: 10 });
const tenantPools = new Map();
async function tenantPool(organizationId) {
  let pool = tenantPools.get(organizationId);
  if (!pool) {
    const { rows } = await controlPool.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1 AND status = 'ready'`, [organizationId]);
    const url = new URL(CONTROL_URL);
    url.pathname = `/${encodeURIComponent(rows[0].database_name)}`;
    pool = new pg.Pool({ connectionString: url.toString(), max: config.tenancy.poolSize });
    tenantPools.set(organizationId, pool);
  }
  return pool;
}

const app = Fastify({ logger: false });
app.get('/health', async () => ({ status: 'ok' }));
app.get('/api/v1/clients', async (request, reply) => {
  const token = COOKIE.exec(request.headers.cookie ?? '')?.[1];
  if (!token) return reply.code(401).send({ status: 401 });
  const [session] = await run(controlPool, lookup, [createHash('sha256').update(decodeURIComponent(token)).digest('hex'), new Date()]);
  if (!session || session.studio_suspended) return reply.code(401).send({ status: 401 });
  const limit = request.query.limit === undefined ? 20 : Number(request.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100 || request.query.cursor) return reply.code(400).send({ status: 400 });
  const pool = await tenantPool(session.organization_id);
  const { page, count } = clientListStatements(undefined, 'name', undefined, limit + 1);
  const rows = await run(pool, page.query, page.params);
  const [total] = await run(pool, count.query, count.params);
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  reply.header('content-type', 'application/json; charset=utf-8');
  return JSON.stringify({
    items: shown.map((r) => r.client),
    nextCursor: rows.length > limit && last ? encodeClientCursor('name', { key: last.sortKey, id: last.client.id }) : null,
    total,
  });
});

const shutdown = async () => {
  setTimeout(() => process.exit(1), 5000).unref();
  await app.close();
  await Promise.all([controlPool.end(), ...[...tenantPools.values()].map((p) => p.end())]);
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
await app.listen({ port: PORT, host: HOST });
console.log(`raw-fastify-same-sql baseline listening on http://${HOST}:${PORT} (prepared statements: ${prepared})`);
