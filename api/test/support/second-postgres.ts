import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startEmbeddedPostgres } from './embedded-test-postgres.mjs';

export interface SecondServer {
  /** The admin URL the app gets in TENANT_SERVERS: a CREATEDB CREATEROLE role, no superuser, like production. */
  appUrl: string;
  /** A superuser client on its `postgres` database (checks behind the app's back). */
  superuser: pg.Client;
  stop(): Promise<void>;
}

/**
 * Issue 8, ops-servers: another real PostgreSQL server for one test file, in the run's temp dir (as
 * global setup makes the first), with a role like the one DATABASE_URL uses on the first.
 */
export async function startSecondServer(): Promise<SecondServer> {
  const { server, port, url } = await startEmbeddedPostgres({ dirPrefix: 'rsm-second-pg-', maxConnections: 100 });
  const superuser = new pg.Client({ connectionString: url });
  await superuser.connect();
  const role = 'rsm_admin';
  const password = randomBytes(18).toString('base64url');
  await superuser.query(`CREATE ROLE ${role} LOGIN CREATEDB CREATEROLE PASSWORD '${password}'`);
  return {
    appUrl: `postgres://${role}:${password}@127.0.0.1:${port}/postgres`,
    superuser,
    async stop() {
      await superuser.end().catch(() => undefined);
      await server.stop(); // not persistent: removes its data directory
    },
  };
}
