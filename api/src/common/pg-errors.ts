/** PostgreSQL error codes that mean "this database is gone or restarting", not "your query is wrong". */
const DATABASE_UNAVAILABLE_CODES = new Set([
  '3D000', // invalid_catalog_name: the database does not exist (dropped)
  '57P01', // admin_shutdown: terminated by the administrator (DROP ... WITH (FORCE), restart)
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: starting up / shutting down
  '08000', '08003', '08006', '08001', '08004', // connection exceptions
]);

export function pgErrorCode(err: unknown): string | undefined {
  if (!err || typeof err !== 'object') return undefined;
  const e = err as { code?: unknown; driverError?: { code?: unknown } };
  const code = e.driverError?.code ?? e.code;
  return typeof code === 'string' ? code : undefined;
}

/** True when the error says the database (not the statement) is unavailable. */
export function isDatabaseUnavailable(err: unknown): boolean {
  const code = pgErrorCode(err);
  if (code && DATABASE_UNAVAILABLE_CODES.has(code)) return true;
  const message = err instanceof Error ? err.message : '';
  // node-postgres reports these without a SQLSTATE.
  return /Connection terminated|ECONNREFUSED|Client has encountered a connection error/i.test(message);
}

/** pg-pool gave up waiting for one of its own connections: the tenant is busy, its database is fine. */
export function isPoolExhausted(err: unknown): boolean {
  return err instanceof Error && /timeout exceeded when trying to connect/i.test(err.message);
}

/**
 * The database could not be reached at all: down, missing, refusing our role, or unreachable on the
 * network (not a bug in the caller). Used where a process fails fast at start-up (rsm, the worker).
 */
export function isConnectionFailure(err: unknown): boolean {
  const code = pgErrorCode(err) ?? '';
  const message = err instanceof Error ? err.message : String(err);
  return (
    isDatabaseUnavailable(err) ||
    /^(08|28|3D)/.test(code) ||
    ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'ECONNRESET', 'EHOSTUNREACH'].includes(code) ||
    /timeout|ECONNREFUSED|ENOTFOUND|getaddrinfo|password authentication|does not exist/i.test(message)
  );
}

/** foreign_key_violation: a referenced row went (or a referencing one came) between a check and the write. */
export const FOREIGN_KEY_VIOLATION = '23503';

/** For `.catch(…)` on a write: a foreign key violation becomes `problem()`; any other error goes on as it is. */
export const onForeignKeyViolation =
  (problem: () => Error) =>
  (err: unknown): never => {
    if (pgErrorCode(err) === FOREIGN_KEY_VIOLATION) throw problem();
    throw err;
  };
