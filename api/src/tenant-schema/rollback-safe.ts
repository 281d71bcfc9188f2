import type { QueryRunner } from 'typeorm';

/**
 * Issue 8, ops-cli: rollbacks that lose nothing. A migration's `down` runs when an operator rolls a
 * release back (`rsm migrate --to <version>`), with studios' data in the tables it created. Dropping
 * them would lose every row written since the migration ran, with no way back when the release is
 * rolled forward again. So a `down` moves the tables it created into this schema (rows, indexes and
 * constraints travel with them; tenant roles have no rights on it), and the `up` moves them back when
 * they are there, instead of creating empty ones.
 *
 * The rule for new tenant migrations: a `down` never drops a table or column holding studio data;
 * it sets tables aside with setTablesAside, and the `up` starts with restoreTablesSetAside.
 */
export const ROLLBACK_SCHEMA = 'rsm_rollback';

/** `down`: moves the tables out of `public` into ROLLBACK_SCHEMA (fails if a set-aside copy is already there). */
export async function setTablesAside(q: QueryRunner, tables: string[]): Promise<void> {
  await q.query(`CREATE SCHEMA IF NOT EXISTS "${ROLLBACK_SCHEMA}"`);
  for (const table of tables) await q.query(`ALTER TABLE "public"."${table}" SET SCHEMA "${ROLLBACK_SCHEMA}"`);
}

/**
 * `up`: moves the tables a rollback set aside back into `public`. True when it did (the caller then
 * creates nothing); false when none of them is set aside; throws when only some are (a hand edit).
 */
export async function restoreTablesSetAside(q: QueryRunner, tables: string[]): Promise<boolean> {
  const rows = (await q.query(`SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind IN ('r', 'p') AND c.relname = ANY($2::text[])`, [
    ROLLBACK_SCHEMA,
    tables,
  ])) as Array<{ relname: string }>;
  if (!rows.length) return false;
  if (rows.length !== tables.length) {
    throw new Error(`Only some of ${tables.join(', ')} are set aside in ${ROLLBACK_SCHEMA} (${rows.map((r) => r.relname).join(', ')}): restore or drop them by hand`);
  }
  for (const table of tables) await q.query(`ALTER TABLE "${ROLLBACK_SCHEMA}"."${table}" SET SCHEMA "public"`);
  return true;
}
