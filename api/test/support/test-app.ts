import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import pg from 'pg';
import { createHmac, randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { type CreateAppOptions, createApp } from '../../src/app.factory.js';
import { type AppConfig, loadConfig } from '../../src/config/app-config.js';
import { withCredentials, withDatabase } from '../../src/database/postgres-url.js';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: () => ReturnType<typeof request>;
  /** A client on the server's maintenance database, for checks behind the app's back. */
  admin: pg.Client;
  /** A client on this test app's control database. */
  control: pg.Client;
  close(): Promise<void>;
}

/** The fixed master key of test runs (role passwords derive from it; tests may derive them too). */
export const TEST_SECRET_KEY = 'test-only-secret-key-0123456789abcdef';

/**
 * The real application on the run's PostgreSQL, with its own control database, template and tenant
 * database prefix, so test files never see each other's rows or databases. Like production, it
 * connects as a role that is no superuser, only CREATEDB and CREATEROLE (README's DATABASE_URL).
 */
export async function createTestApp(env: Record<string, string> = {}, options: CreateAppOptions = {}): Promise<TestApp> {
  const serverUrl = process.env.RSM_TEST_PG_URL;
  if (!serverUrl) throw new Error('RSM_TEST_PG_URL is not set: run through jest (global setup)');
  const id = `rsm_t${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  const controlRole = `${id}_control`;
  const controlPassword = randomBytes(18).toString('base64url');
  await admin.query(`CREATE ROLE "${controlRole}" LOGIN CREATEDB CREATEROLE PASSWORD '${controlPassword}'`);
  const config = loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    RSM_SECRET_KEY: TEST_SECRET_KEY,
    DATABASE_URL: withCredentials(withDatabase(serverUrl, `${id}_control`), controlRole, controlPassword),
    TENANT_TEMPLATE_DATABASE: `${id}_template`,
    TENANT_DATABASE_PREFIX: `${id}_tenant_`,
    WEB_DIST_DIR: '/nonexistent',
    // Generous rate limits, so suites that sign up and log in a lot do not trip them; tests of the
    // limits pass low ones explicitly.
    RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT_IP: '1000',
    RATE_LIMIT_LOGIN_FAILURES_PER_ACCOUNT: '1000',
    RATE_LIMIT_LOGIN_FAILURES_PER_IP: '10000',
    RATE_LIMIT_REGISTER_PER_IP_PER_HOUR: '10000',
    RATE_LIMIT_VERIFICATION_RESEND_PER_USER_PER_HOUR: '10000',
    RATE_LIMIT_API_PER_USER_PER_MINUTE: '1000000',
    RATE_LIMIT_API_PER_IP_PER_MINUTE: '1000000',
    // Issue 7, accounts-mail: password reset and change.
    RATE_LIMIT_PASSWORD_RESET_PER_IP_PER_HOUR: '10000',
    RATE_LIMIT_PASSWORD_RESET_PER_EMAIL_PER_HOUR: '10000',
    RATE_LIMIT_PASSWORD_RESET_CONFIRM_PER_IP_PER_HOUR: '10000',
    RATE_LIMIT_PASSWORD_CHANGE_PER_USER_PER_HOUR: '10000',
    // Issue 7, accounts-access: invites, accept, switch.
    RATE_LIMIT_INVITES_PER_USER_PER_HOUR: '10000',
    RATE_LIMIT_INVITES_PER_IP_PER_HOUR: '10000',
    RATE_LIMIT_INVITE_ACCEPT_PER_IP_PER_HOUR: '10000',
    RATE_LIMIT_SWITCH_PER_USER_PER_HOUR: '10000',
    RATE_LIMIT_SWITCH_PER_IP_PER_HOUR: '10000',
    // Issue 12, portal: sign-in, accept-invite and magic links.
    RATE_LIMIT_PORTAL_AUTH_PER_IP_PER_HOUR: '10000',
    RATE_LIMIT_PORTAL_AUTH_PER_EMAIL_PER_HOUR: '10000',
    // The job queue adds ~0.4 s to each start and runs scheduled maintenance in the background of
    // unrelated tests; test/jobs.e2e-spec.ts turns it on.
    JOBS_ENABLED: 'false',
    // Issue 10, files: uploaded blobs go under RSM_DATA_DIR/files; each app gets its own directory in
    // the run's temp folder (removed with it), never the working directory's .data.
    RSM_DATA_DIR: join(tmpdir(), `${id}-data`),
    ...env,
  });
  /** Drops this app's databases, then its roles (tenant roles, group, control role), by prefix. */
  const dropEverything = async () => {
    const { rows } = await admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${id}\\_%`]);
    for (const { datname } of rows) await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
    const roles = await admin.query(`SELECT rolname FROM pg_roles WHERE rolname LIKE $1 ORDER BY rolname = $2`, [`${id}\\_%`, controlRole]);
    for (const { rolname } of roles.rows) await admin.query(`DROP ROLE IF EXISTS "${rolname}"`);
  };
  let app: NestFastifyApplication;
  try {
    app = await createApp(config, options);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
  } catch (err) {
    await dropEverything().finally(() => admin.end());
    throw err;
  }
  const control = new pg.Client({ connectionString: config.databaseUrl });
  await control.connect();
  return {
    app,
    config,
    admin,
    control,
    http: () => request(app.getHttpServer()),
    async close() {
      await app.close();
      await control.end();
      // Leave nothing behind on a shared server (CI's DATABASE_URL): databases, then roles.
      await dropEverything();
      await admin.end();
    },
  };
}

let counter = 0;
/** A fresh, valid sign-up body. */
export function newStudio(label = 'Studio') {
  const n = `${Date.now().toString(36)}${(counter++).toString(36)}${randomBytes(2).toString('hex')}`;
  return { studioName: `${label} ${n}`, name: `Owner ${n}`, email: `owner-${n}@studio.test`, password: 'correct horse battery' };
}

/** Registers a studio through the API; returns its cookie header and ids. */
export async function registerStudio(t: TestApp, label?: string) {
  const body = newStudio(label);
  const res = await t.http().post('/api/v1/auth/register').send(body);
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = (res.headers['set-cookie'] as unknown as string[]).map((c) => c.split(';')[0]).join('; ');
  return { cookie, organizationId: res.body.organization.id as string, userId: res.body.user.id as string, credentials: body, body: res.body };
}

/** The tenant database names on the server that belong to this test app (by prefix). */
export async function tenantDatabases(t: TestApp): Promise<string[]> {
  const { rows } = await t.admin.query(`SELECT datname FROM pg_database WHERE datname LIKE $1 ORDER BY datname`, [
    `${t.config.tenancy.databasePrefix}%`,
  ]);
  return rows.map((r: { datname: string }) => r.datname);
}

/** The database the registry names for a studio. */
export async function tenantDatabaseOf(t: TestApp, organizationId: string): Promise<string> {
  const { rows } = await t.control.query(`SELECT database_name FROM tenant_databases WHERE organization_id = $1`, [organizationId]);
  return rows[0].database_name as string;
}

/** A connection to a studio's database behind the app's back (row counts, outside locks), as the control role. */
export async function connectTenantDatabase(t: TestApp, organizationId: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: withDatabase(t.config.databaseUrl!, await tenantDatabaseOf(t, organizationId)) });
  await client.connect();
  return client;
}

/**
 * A URL for `database` (default: the studio's own) signed in as `organizationId`'s tenant role, from
 * the credentials README documents — role = the studio's database name, password =
 * HMAC-SHA256(RSM_SECRET_KEY, "tenant-role:" + id), base64url — not from the app's own code.
 */
export async function tenantRoleUrl(t: TestApp, organizationId: string, database?: string): Promise<string> {
  const role = await tenantDatabaseOf(t, organizationId);
  const password = createHmac('sha256', t.config.secretKey!).update(`tenant-role:${organizationId}`).digest('base64url');
  return withCredentials(withDatabase(t.config.databaseUrl!, database ?? role), role, password);
}
