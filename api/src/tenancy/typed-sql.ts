import { createHash } from 'node:crypto';
import type { Pool, QueryConfig } from 'pg';
import type { DataSource } from 'typeorm';

/**
 * Issue 14, perf: one small typed SQL helper for the hot reads (the session lookup on every request,
 * the clients list), where a CPU profile showed TypeORM's per-call QueryRunner, query builder and
 * entity hydration costing more than the database work itself. TypeORM stays the data layer for
 * everything else: use this only where bench/ shows it matters.
 *
 * - Fixed SQL with `$n` parameters, never interpolated input: the text is a constant of the caller.
 * - Rows are mapped straight to the caller's DTO by `toResult` (no entities, no metadata walk).
 * - Optionally a named prepared statement (DB_PREPARED_STATEMENTS, default on): PostgreSQL parses and
 *   plans it once per connection instead of on every request. The name is derived from the text, so
 *   two texts never share a name (pg refuses a name re-used with other text) and the same text always
 *   reuses it. Select explicit columns, never `*`: a prepared `*` fails with "cached plan must not
 *   change result type" once a migration adds a column under an open pool.
 * - Behind PgBouncer in transaction mode, named statements need PgBouncer 1.21+ with
 *   `max_prepared_statements` > 0 (it re-prepares them on whichever server connection it picks);
 *   with an older pooler set DB_PREPARED_STATEMENTS=false (docs/performance.md).
 *
 * Queries go to the DataSource's own pg pool (the same connections, statement_timeout and pool limits
 * as TypeORM's), and errors are pg's own, carrying the SQLSTATE `code` that pg-errors.ts reads.
 */
export interface TypedQuery<Params extends readonly unknown[], Row, Result> {
  /** For logs and the statement's name. */
  readonly label: string;
  readonly text: string;
  /** The prepared statement's name: the label plus a hash of the text. */
  readonly name: string;
  readonly toResult: (row: Row) => Result;
  /** Phantom: ties the parameters' types to the query. */
  readonly params?: Params;
}

/** Declares a read: `label` names it (letters, digits, `_`), `text` is constant SQL with `$1…`. */
export function typedQuery<Params extends readonly unknown[], Row, Result = Row>(
  label: string,
  text: string,
  toResult: (row: Row) => Result = (row) => row as unknown as Result,
): TypedQuery<Params, Row, Result> {
  if (!/^[a-z][a-z0-9_]{0,30}$/i.test(label)) throw new Error(`typedQuery: bad label ${label}`);
  const name = `rsm_${label}_${createHash('sha256').update(text).digest('hex').slice(0, 12)}`;
  return { label, text, name, toResult };
}

/** The pg pool under a TypeORM postgres DataSource. */
function poolOf(ds: DataSource): Pool {
  const pool = (ds.driver as { master?: Pool }).master;
  if (!pool) throw new Error('typed-sql: the DataSource has no pg pool (not initialized, or not postgres)');
  return pool;
}

/** Runs typed reads on a DataSource's pool, prepared or not (one switch for the process). */
export class TypedSql {
  constructor(readonly prepared: boolean) {}

  async rows<Params extends readonly unknown[], Row, Result>(ds: DataSource, query: TypedQuery<Params, Row, Result>, params: Params): Promise<Result[]> {
    const config: QueryConfig = { text: query.text, values: params as unknown as unknown[] };
    if (this.prepared) config.name = query.name;
    const { rows } = await poolOf(ds).query(config);
    return (rows as Row[]).map(query.toResult);
  }

  async first<Params extends readonly unknown[], Row, Result>(ds: DataSource, query: TypedQuery<Params, Row, Result>, params: Params): Promise<Result | undefined> {
    return (await this.rows(ds, query, params))[0];
  }
}
