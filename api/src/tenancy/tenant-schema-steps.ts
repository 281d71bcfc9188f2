import { type DataSource, MigrationExecutor, type MigrationInterface } from 'typeorm';


/** A migration class of the tenant schema (its name ends with its 13-digit timestamp). */
export type TenantMigrationClass = new () => MigrationInterface;

/** The schema version a migration brings a database to: its timestamp. */
export function versionOf(migration: { name: string }): string {
  const { name } = migration;
  const match = /(\d{13})$/.exec(name);
  if (!match) throw new Error(`Migration ${name} does not end with its 13-digit timestamp`);
  return match[1];
}

/** The newest version of a migration list. */
export function latestVersionOf(migrations: readonly TenantMigrationClass[]): string {
  return migrations.map(versionOf).sort().at(-1)!;
}

/** One migration a run would apply (`up`) or revert (`down`) on a database. */
export interface SchemaStep {
  name: string;
  version: string;
  direction: 'up' | 'down';
}

/** The database's schema version: its newest applied migration, or null when none (or no table). */
export async function databaseVersion(ds: DataSource): Promise<string | null> {
  const executed = await new MigrationExecutor(ds).getExecutedMigrations();
  return executed.length ? executed.map((m) => String(m.timestamp)).sort().at(-1)! : null;
}

/**
 * What bringing this database to `target` takes, read-only: the pending migrations up to `target`
 * (oldest first), or the applied ones newer than `target` (newest first, reverted in that order).
 */
export async function stepsTo(ds: DataSource, target: string): Promise<SchemaStep[]> {
  const executor = new MigrationExecutor(ds);
  const executed = await executor.getExecutedMigrations();
  const down = executed
    .filter((m) => String(m.timestamp) > target)
    .sort((a, b) => b.timestamp - a.timestamp)
    .map((m) => ({ name: m.name, version: String(m.timestamp), direction: 'down' as const }));
  if (down.length) return down;
  return (await executor.getPendingMigrations())
    .filter((m) => String(m.timestamp) <= target)
    .sort((a, b) => a.timestamp - b.timestamp)
    .map((m) => ({ name: m.name, version: String(m.timestamp), direction: 'up' as const }));
}

/**
 * Brings the database to exactly `target` in ONE transaction: every pending migration up to it
 * (`up`), or every applied migration newer than it (`down`, newest first). Either all steps commit or
 * none does, so a failure leaves the database at the version it had. Returns the steps taken.
 */
export async function migrateTo(ds: DataSource, target: string): Promise<SchemaStep[]> {
  const steps = await stepsTo(ds, target);
  if (!steps.length) return steps;
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.startTransaction();
    const executor = new MigrationExecutor(ds, runner);
    executor.transaction = 'none'; // the transaction is ours, around every step
    if (steps[0].direction === 'down') {
      for (let i = 0; i < steps.length; i++) await executor.undoLastMigration();
    } else {
      const pending = (await executor.getPendingMigrations()).filter((m) => String(m.timestamp) <= target);
      for (const migration of pending.sort((a, b) => a.timestamp - b.timestamp)) await executor.executeMigration(migration);
    }
    await runner.commitTransaction();
    return steps;
  } catch (err) {
    if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
    throw err;
  } finally {
    await runner.release();
  }
}
