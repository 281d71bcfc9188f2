import { pgErrorCode } from './pg-errors.js';

/** A quoted value inside a PostgreSQL message (`invalid input syntax for type uuid: "…"`). */
const QUOTED = /"[^"]*"/g;

/**
 * What may be logged about an error. A TypeORM QueryFailedError carries the SQL and its
 * `parameters` (password hashes, clients' personal data) and pg's `detail` repeats key values:
 * database errors are reduced to their code, a message without quoted values, and where
 * (table/column/constraint). Other errors keep message and stack, their cause described alike.
 */
export function logSafeError(err: unknown, depth = 0): Record<string, unknown> {
  if (err === null || typeof err !== 'object') return { value: typeof err };
  const code = pgErrorCode(err);
  const name = (err as Error).constructor?.name ?? 'Error';
  if (code || name === 'QueryFailedError' || name === 'DatabaseError') {
    const db = ((err as { driverError?: object }).driverError ?? err) as Record<string, unknown>;
    const text = (k: string) => (typeof db[k] === 'string' ? (db[k] as string) : undefined);
    return {
      type: name,
      code,
      message: text('message')?.replace(QUOTED, '"…"'),
      table: text('table'),
      column: text('column'),
      constraint: text('constraint'),
      routine: text('routine'),
    };
  }
  const cause = (err as { cause?: unknown }).cause;
  return {
    type: name,
    message: (err as Error).message,
    stack: (err as Error).stack,
    ...(cause !== undefined && depth < 2 ? { cause: logSafeError(cause, depth + 1) } : {}),
  };
}
