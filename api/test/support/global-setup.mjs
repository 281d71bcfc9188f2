// Plain ESM: Jest loads global setup outside its module transform.
import { startEmbeddedPostgres } from './embedded-test-postgres.mjs';
import { enterRunTempDir } from './run-temp-dir.mjs';

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
  const { server, url } = await startEmbeddedPostgres({ dirPrefix: 'rsm-test-pg-', maxConnections: 300 });
  process.env.RSM_TEST_PG_URL = url;
  globalThis.__RSM_PG__ = server;
}
