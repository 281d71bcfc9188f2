import pg from 'pg';
import { quoteIdent } from './postgres-url.js';
import { quoteLiteral, scramVerifier } from './secrets.js';
import { StartupError } from './embedded-preflight.js';

/** The superuser of the embedded cluster: used here to set things up, never by the app. */
export const EMBEDDED_SUPERUSER = 'postgres';
/** The app's own role on the embedded cluster: owns the control and tenant databases, no superuser. */
export const EMBEDDED_CONTROL_ROLE = 'rsm_control';

const client = (port: number, password: string, database = 'postgres') =>
  new pg.Client({ host: '127.0.0.1', port, user: EMBEDDED_SUPERUSER, password, database, application_name: 'rsm:bootstrap' });

/**
 * Signs in as the superuser with `password` (from RSM_DATA_DIR). A cluster initialised with a
 * one-off bootstrap password (kept in RSM_DATA_DIR until replaced, also when that first start was
 * interrupted), or by an older version as postgres/postgres, is signed into with one of `fallbacks`
 * and moved to `password` on the spot.
 */
async function connectSuperuser(port: number, password: string, fallbacks: string[]): Promise<pg.Client> {
  for (const candidate of [password, ...fallbacks]) {
    const c = client(port, candidate);
    try {
      await c.connect();
    } catch (err) {
      await c.end().catch(() => undefined);
      if ((err as { code?: string }).code === '28P01') continue; // wrong password: try the next
      throw err;
    }
    if (candidate !== password) await c.query(`ALTER ROLE ${quoteIdent(EMBEDDED_SUPERUSER)} PASSWORD ${quoteLiteral(scramVerifier(password))}`);
    return c;
  }
  throw new StartupError(`Cannot sign in to the embedded PostgreSQL as its superuser: the password file in RSM_DATA_DIR does not match its data directory`);
}

/**
 * As the superuser: makes sure the app's control role exists, with `controlPassword`, CREATEDB and
 * CREATEROLE (it creates tenant databases and their roles) and nothing more; then hands it the
 * databases an older version created as the superuser, so it can keep migrating them.
 */
export async function bootstrapEmbedded(options: {
  port: number;
  superuserPassword: string;
  fallbackPasswords: string[];
  controlPassword: string;
  log: (line: string) => void;
}): Promise<void> {
  const admin = await connectSuperuser(options.port, options.superuserPassword, options.fallbackPasswords);
  try {
    const role = quoteIdent(EMBEDDED_CONTROL_ROLE);
    const password = quoteLiteral(scramVerifier(options.controlPassword));
    const { rowCount } = await admin.query(`SELECT 1 FROM pg_roles WHERE rolname = $1`, [EMBEDDED_CONTROL_ROLE]);
    await admin.query(`${rowCount ? 'ALTER' : 'CREATE'} ROLE ${role} LOGIN NOSUPERUSER CREATEDB CREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD ${password}`);
    const { rows } = await admin.query(
      `SELECT datname FROM pg_database WHERE datdba = (SELECT oid FROM pg_roles WHERE rolname = $1) AND datname NOT IN ('postgres', 'template0', 'template1')`,
      [EMBEDDED_SUPERUSER],
    );
    for (const { datname } of rows as Array<{ datname: string }>) {
      await handOver(options.port, options.superuserPassword, datname);
      await admin.query(`ALTER DATABASE ${quoteIdent(datname)} OWNER TO ${role}`);
    }
    if (rows.length) options.log(`Handed ${rows.length} database(s) from the superuser to ${EMBEDDED_CONTROL_ROLE}`);
  } finally {
    await admin.end();
  }
}

/**
 * Gives the control role the objects the superuser owns in `database`'s public schema (tables,
 * views, sequences not owned by a column, types, functions), skipping extension members.
 */
async function handOver(port: number, superuserPassword: string, database: string): Promise<void> {
  const c = client(port, superuserPassword, database);
  await c.connect();
  try {
    const { rows } = await c.query(
      `WITH mine AS (SELECT oid FROM pg_roles WHERE rolname = $1),
            ext AS (SELECT objid FROM pg_depend WHERE deptype = 'e')
       SELECT format('ALTER %s %s OWNER TO %I',
                     CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
                     c.oid::regclass, $2::text) AS sql
         FROM pg_class c
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
          AND c.relowner = (SELECT oid FROM mine) AND c.oid NOT IN (SELECT objid FROM ext)
          AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))
       UNION ALL
       SELECT format('ALTER TYPE %s OWNER TO %I', t.oid::regtype, $2::text)
         FROM pg_type t
        WHERE t.typnamespace = 'public'::regnamespace AND t.typtype IN ('e', 'd', 'r', 'm')
          AND t.typowner = (SELECT oid FROM mine) AND t.oid NOT IN (SELECT objid FROM ext)
       UNION ALL
       SELECT format('ALTER ROUTINE %s OWNER TO %I', p.oid::regprocedure, $2::text)
         FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND p.proowner = (SELECT oid FROM mine) AND p.oid NOT IN (SELECT objid FROM ext)`,
      [EMBEDDED_SUPERUSER, EMBEDDED_CONTROL_ROLE],
    );
    for (const { sql } of rows as Array<{ sql: string }>) await c.query(sql);
  } finally {
    await c.end();
  }
}
