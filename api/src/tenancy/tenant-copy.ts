import type pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import { quoteIdent } from '../database/postgres-url.js';

/**
 * Issue 8, ops-servers: copying one tenant database's rows to another server with COPY streams.
 *
 * Why not pg_dump | pg_restore: the target database is made from the target server's template, so
 * its schema, grants and migration history are exactly what our migrations produce there; only rows
 * need to travel. pg_dump would also need a client at least as new as the server (PostgreSQL 17 here;
 * Debian 12 ships 15) on every machine that runs a move. Why not logical replication: it is the answer
 * for big tenants (copy while writes go on, then a seconds-long switch-over), but needs
 * wal_level=logical, a superuser or replication role on both servers, and slot housekeeping; a
 * studio's database copies in seconds while read-only, so that is future work.
 */

/** Both sides render rows to text the same way, so per-row text checksums compare across servers. */
export async function setComparableOutput(client: pg.Client): Promise<void> {
  await client.query(`SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'; SET IntervalStyle = 'postgres'; SET extra_float_digits = 1; SET bytea_output = 'hex'`);
}

export interface CopiedTable {
  table: string;
  /** Columns copied (generated columns are recomputed by the target). */
  columns: string[];
}

/**
 * The tenant's tables in `public` except the migration history (the target has its own, checked
 * equal), parents before children (foreign keys), so each COPY finds the rows it references.
 * Deferrable foreign keys are left out of the order: they may close a cycle (quotes.invoice_id and
 * invoices.quote_id), and copyRows checks them at the end of its transaction instead.
 */
export async function tablesInForeignKeyOrder(client: pg.Client): Promise<CopiedTable[]> {
  const { rows: tables } = await client.query<{ table: string; columns: string[] }>(
    `SELECT c.relname AS table,
            array_agg(a.attname::text ORDER BY a.attnum) AS columns
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
      WHERE c.relkind = 'r' AND c.relname <> 'migrations'
      GROUP BY c.relname
      ORDER BY c.relname`,
  );
  const { rows: edges } = await client.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent
       FROM pg_constraint k
       JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_class p ON p.oid = k.confrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
      WHERE k.contype = 'f' AND k.conrelid <> k.confrelid AND NOT k.condeferrable`,
  );
  const parents = new Map(tables.map((t) => [t.table, new Set<string>()]));
  for (const e of edges) parents.get(e.child)?.add(e.parent);
  const ordered: CopiedTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < tables.length) {
    const next = tables.filter((t) => !placed.has(t.table) && [...parents.get(t.table)!].every((p) => placed.has(p) || !parents.has(p)));
    if (!next.length) throw new Error('Foreign keys form a cycle between tenant tables; cannot order the copy');
    for (const t of next) {
      ordered.push(t);
      placed.add(t.table);
    }
  }
  return ordered;
}

/** Streams every table's rows from `source` to `target` (both inside their own transactions). */
export async function copyRows(source: pg.Client, target: pg.Client, tables: CopiedTable[]): Promise<void> {
  // The template's rows (e.g. studio_settings' single row) give way to the source's.
  if (tables.length) await target.query(`TRUNCATE ${tables.map((t) => quoteIdent(t.table)).join(', ')}`);
  // Deferrable keys (left out of the table order) are checked when the target's transaction commits.
  await target.query('SET CONSTRAINTS ALL DEFERRED');
  for (const { table, columns } of tables) {
    const list = `${quoteIdent(table)} (${columns.map(quoteIdent).join(', ')})`;
    const out = source.query(copyTo(`COPY ${list} TO STDOUT`));
    const into = target.query(copyFrom(`COPY ${list} FROM STDIN`));
    await pipeline(out, into);
  }
}

/** Sets every sequence of `target` to where `source`'s is, so new ids continue after the copied ones. */
export async function copySequences(source: pg.Client, target: pg.Client): Promise<number> {
  const { rows } = await source.query<{ name: string; last: string | null }>(
    `SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename) AS name, last_value::text AS last FROM pg_sequences WHERE schemaname = 'public'`,
  );
  for (const { name, last } of rows) {
    if (last === null) await target.query(`SELECT setval($1::regclass, 1, false)`, [name]);
    else await target.query(`SELECT setval($1::regclass, $2::bigint, true)`, [name, last]);
  }
  return rows.length;
}

export interface TableChecksum {
  table: string;
  rows: number;
  /** md5 over the md5 of each row's text, in order of those: independent of physical order. */
  checksum: string;
}

export async function tableChecksums(client: pg.Client, tables: CopiedTable[]): Promise<TableChecksum[]> {
  const out: TableChecksum[] = [];
  for (const { table, columns } of tables) {
    // The copied columns only, as a row value: both sides render it with setComparableOutput.
    const row = `ROW(${columns.map((c) => `t.${quoteIdent(c)}`).join(', ')})::text`;
    const { rows } = await client.query<{ rows: string; checksum: string }>(
      `SELECT count(*)::text AS rows, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS checksum
         FROM (SELECT md5(${row}) AS h FROM ${quoteIdent(table)} t) x`,
    );
    out.push({ table, rows: Number(rows[0].rows), checksum: rows[0].checksum });
  }
  return out;
}

/** The migration history (names, in order): both copies must have run exactly the same migrations. */
export async function migrationHistory(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ history: string | null }>(`SELECT string_agg(name, ',' ORDER BY "timestamp", id) AS history FROM migrations`);
  return rows[0].history ?? '';
}
