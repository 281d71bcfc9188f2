import pg from 'pg';

/** Returns `url` with its database name replaced. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${encodeURIComponent(database)}`;
  return u.toString();
}

/** Returns `url` signing in as `user` with `password` instead of its own credentials. */
export function withCredentials(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = encodeURIComponent(user);
  u.password = encodeURIComponent(password);
  // A URL without a host (postgres:///db?host=/run/postgresql) cannot carry credentials: the URL
  // API drops them without a word, and pg would sign in as the OS user instead.
  if (u.username !== encodeURIComponent(user)) {
    throw new Error(`Cannot set the user of a database URL without a host; for a Unix socket write postgres://localhost/<db>?host=<socket dir>`);
  }
  return u.toString();
}

export function databaseNameOf(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!name) throw new Error('DATABASE_URL must name a database');
  return name;
}

/** Quotes a PostgreSQL identifier. Names here are generated, but quoting keeps that from mattering. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Creates the database named in `url` when it does not exist yet (connecting to the `postgres` db). */
export async function ensureDatabaseExists(url: string): Promise<boolean> {
  const name = databaseNameOf(url);
  const admin = new pg.Client({ connectionString: withDatabase(url, 'postgres') });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    try {
      await admin.query(`CREATE DATABASE ${quoteIdent(name)}`);
    } catch (err) {
      // Another instance created it between our check and our CREATE.
      if ((err as { code?: string }).code !== '42P04') throw err;
      return false;
    }
    return true;
  } finally {
    await admin.end();
  }
}
