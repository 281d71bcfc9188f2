// Baseline (3) of the hot read (issue 14), "the peer": the same route in the stack the original system
// used — Express 5 + Drizzle ORM over postgres.js — to show what a user gains or loses by switching.
// Idiomatic code of that stack, nothing tuned: Drizzle's query builder and its default postgres.js driver
// (which prepares statements by default). The session lookup is equivalent to the API's: the cookie's
// token hashed, a live session joined to its membership, its studio (refused when suspended) and its user;
// the studio's database found once per organization and kept, as the API keeps a pool per tenant. The
// page and its total answer the same bytes as the API.
//
// Env: DATABASE_URL (control database, required), PORT (3102), HOST (127.0.0.1).
import { createHash } from 'node:crypto';
import { and, asc, count, eq, gt, sql } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/postgres-js';
import { pgTable, text, timestamp, uuid, varchar } from 'drizzle-orm/pg-core';
import express from 'express';
import postgres from 'postgres';

const CONTROL_URL = process.env.DATABASE_URL;
if (!CONTROL_URL) {
  console.error('express-drizzle: DATABASE_URL is required');
  process.exit(2);
}
const PORT = Number(process.env.PORT ?? 3102);
const HOST = process.env.HOST ?? '127.0.0.1';
const COOKIE = /(?:^|;\s*)(?:__Host-)?rsm_session=([^;]+)/;
const tz = (name) => timestamp(name, { withTimezone: true, mode: 'date' });

// --- the schema, as far as this route reads it ---
const sessions = pgTable('sessions', {
  id: uuid('id').primaryKey(),
  tokenHash: varchar('token_hash').notNull(),
  userId: uuid('user_id').notNull(),
  organizationId: uuid('organization_id').notNull(),
  expiresAt: tz('expires_at').notNull(),
  idleExpiresAt: tz('idle_expires_at').notNull(),
  lastSeenAt: tz('last_seen_at').notNull(),
});
const memberships = pgTable('memberships', { organizationId: uuid('organization_id'), userId: uuid('user_id'), role: varchar('role') });
const organizations = pgTable('organizations', { id: uuid('id').primaryKey(), suspendedAt: tz('suspended_at'), unverifiedUntil: tz('unverified_until') });
const users = pgTable('users', { id: uuid('id').primaryKey(), email: varchar('email') });
const tenantDatabases = pgTable('tenant_databases', { organizationId: uuid('organization_id'), databaseName: varchar('database_name'), status: varchar('status') });
const clients = pgTable('clients', {
  id: uuid('id').primaryKey(),
  name: varchar('name').notNull(),
  email: varchar('email'),
  phone: varchar('phone'),
  company: varchar('company'),
  notes: text('notes'),
  billingAddress: text('billing_address'),
  taxId: varchar('tax_id'),
  createdAt: tz('created_at').notNull(),
  updatedAt: tz('updated_at').notNull(),
});

const control = drizzle(postgres(CONTROL_URL, { max: 10 }));
const tenants = new Map();
async function tenantDb(organizationId) {
  let db = tenants.get(organizationId);
  if (!db) {
    const [row] = await control
      .select({ databaseName: tenantDatabases.databaseName })
      .from(tenantDatabases)
      .where(and(eq(tenantDatabases.organizationId, organizationId), eq(tenantDatabases.status, 'ready')));
    const url = new URL(CONTROL_URL);
    url.pathname = `/${encodeURIComponent(row.databaseName)}`;
    db = drizzle(postgres(url.toString(), { max: 3 }));
    tenants.set(organizationId, db);
  }
  return db;
}

async function findSession(token) {
  const now = new Date();
  const [row] = await control
    .select({
      sessionId: sessions.id,
      userId: sessions.userId,
      organizationId: sessions.organizationId,
      role: memberships.role,
      email: users.email,
      suspended: sql`(${organizations.suspendedAt} IS NOT NULL OR ${organizations.unverifiedUntil} <= now())`.mapWith(Boolean),
    })
    .from(sessions)
    .innerJoin(memberships, and(eq(memberships.organizationId, sessions.organizationId), eq(memberships.userId, sessions.userId)))
    .innerJoin(organizations, eq(organizations.id, sessions.organizationId))
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, createHash('sha256').update(token).digest('hex')), gt(sessions.expiresAt, now), gt(sessions.idleExpiresAt, now)));
  return row;
}

const app = express();
app.disable('x-powered-by');
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.get('/api/v1/clients', async (req, res) => {
  const token = COOKIE.exec(req.headers.cookie ?? '')?.[1];
  const session = token ? await findSession(decodeURIComponent(token)) : undefined;
  if (!session || session.suspended) return res.status(401).json({ status: 401 });
  const limit = req.query.limit === undefined ? 20 : Number(req.query.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100 || req.query.cursor) return res.status(400).json({ status: 400 });
  const db = await tenantDb(session.organizationId);
  const sortKey = sql`lower(${clients.name})`;
  const rows = await db
    .select({
      id: clients.id,
      name: clients.name,
      email: clients.email,
      phone: clients.phone,
      company: clients.company,
      notes: clients.notes,
      billingAddress: clients.billingAddress,
      taxId: clients.taxId,
      createdAt: clients.createdAt,
      updatedAt: clients.updatedAt,
      sortKey: sortKey.mapWith(String),
    })
    .from(clients)
    .orderBy(sortKey, asc(clients.id))
    .limit(limit + 1);
  const [{ total }] = await db.select({ total: count() }).from(clients);
  const shown = rows.slice(0, limit);
  const last = shown[shown.length - 1];
  res.json({
    items: shown.map(({ sortKey: _key, createdAt, updatedAt, ...c }) => ({ ...c, createdAt: createdAt.toISOString(), updatedAt: updatedAt.toISOString() })),
    nextCursor: rows.length > limit && last ? Buffer.from(JSON.stringify(['name', last.sortKey, last.id])).toString('base64url') : null,
    total,
  });
});

const server = app.listen(PORT, HOST, () => console.log(`express-drizzle peer listening on http://${HOST}:${PORT}`));
const shutdown = () => {
  setTimeout(() => process.exit(1), 5000).unref();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
