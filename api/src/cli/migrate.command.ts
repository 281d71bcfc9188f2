import type { Command } from 'commander';
import { DataSource, MigrationExecutor } from 'typeorm';
import { CONTROL_DATA_SOURCE, migrateControlDatabase, withMigrationLock } from '../control/control-database.js';
import { TenantMigrator, type TenantMigrationResult, type TenantMigrationOutcome } from '../tenancy/tenant-migrator.service.js';
import { ensureDatabaseExists } from '../database/postgres-url.js';
import type { SchemaStep } from '../tenancy/tenant-schema-steps.js';
import { type CliRuntime, intOption } from './cli.js';
import { CliError, EXIT } from './exit-codes.js';
import { MigrateProgress } from './migrate-progress.js';
import { formatTable, writeJson } from './output.js';

interface MigrateOptions {
  dryRun?: boolean;
  to?: string;
  concurrency: number;
  only?: string[];
  from?: string;
  canary: number;
}

const OUTCOMES: TenantMigrationOutcome[] = ['migrated', 'up-to-date', 'pending', 'failed', 'skipped'];

export function registerMigrateCommand(program: Command, runtime: CliRuntime): void {
  program
    .command('migrate')
    .description(
      'Migrate the control database, then the tenant template, then every ready tenant (each in its own transaction; ' +
        'one failure is recorded on its registry row and the run goes on). Exit 1 when any tenant failed.',
    )
    .option('--dry-run', 'list the migrations each database would get, change nothing')
    .option('--to <version>', 'bring the template and tenants to this tenant schema version (older: roll back with each migration\'s down)')
    .option('--concurrency <n>', 'tenants migrated at once', intOption(1, 64), 4)
    .option('--only <ids>', 'only these tenants (organization ids, comma-separated); the template is left alone', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--from <id>', 'resume: start at this tenant in the run order (oldest first; see `rsm tenants list`)')
    .option('--canary <n>', 'migrate the first N tenants first; stop before the others if any of them fails', intOption(0, 1_000_000), 0)
    .addHelpText('after', '\nExamples:\n  rsm migrate --canary 5\n  rsm migrate --dry-run --json\n  rsm migrate --to 1795680000000   (roll back)\n  rsm migrate --from <organization id>   (resume)')
    .action(async (options: MigrateOptions) => {
      const json = Boolean(program.opts().json);
      if (!options.dryRun) {
        // As the API's start-up does: a first `rsm migrate` on a new server creates the control database.
        await ensureDatabaseExists(runtime.config().databaseUrl!).catch((err: unknown) => {
          throw new CliError(EXIT.CONTROL_UNREACHABLE, `Cannot reach the control database: ${err instanceof Error ? err.message : String(err)}`);
        });
      }
      await runtime.withApp(async (app) => {
        const migrator = app.get(TenantMigrator);
        const control = app.get<DataSource>(CONTROL_DATA_SOURCE);
        if (options.to !== undefined && !migrator.versions.includes(options.to)) {
          throw new CliError(EXIT.USAGE, `--to: unknown tenant schema version ${options.to} (known: ${migrator.versions.join(', ')})`);
        }
        if (options.from && !(await migrator.runOrder()).some((t) => t.organizationId === options.from)) {
          throw new CliError(EXIT.USAGE, `--from: no ready tenant ${options.from} (see rsm tenants list)`);
        }
        const report = options.dryRun ? await dryRun(migrator, control, options, runtime) : await migrate(migrator, control, options, runtime);
        const failed = report.tenants.filter((t) => t.outcome === 'failed').length;
        const summary = Object.fromEntries(OUTCOMES.map((o) => [o, report.tenants.filter((t) => t.outcome === o).length]));
        if (failed) runtime.exit(EXIT.TENANTS_FAILED);
        if (json) {
          writeJson(runtime.io, { ...report, summary, exitCode: failed ? EXIT.TENANTS_FAILED : EXIT.OK });
          return;
        }
        printReport(runtime, report, summary, Boolean(options.dryRun));
      });
    });
}

interface MigrateReport {
  target: string;
  control: { applied?: string[]; pending?: string[] };
  /** Null with --only: a run over chosen tenants leaves the template (what new studios copy) alone. */
  template: SchemaStep[] | null;
  tenants: TenantMigrationResult[];
}

async function migrate(migrator: TenantMigrator, control: DataSource, options: MigrateOptions, runtime: CliRuntime): Promise<MigrateReport> {
  const target = options.to ?? migrator.latestVersion;
  const applied = await migrateControlDatabase(control);
  // The same lock as the API's start-up: an instance starting now waits for this run instead of racing it.
  return withMigrationLock(control, async () => {
    const template = options.only ? null : await migrator.prepareTemplate({ to: target });
    const progress = new MigrateProgress(runtime.io);
    try {
      const tenants = await migrator.migrateTenants({
        ...options,
        to: target,
        onPlan: (n) => progress.start(n, `Migrating tenants to ${target}`),
        onResult: (r) => progress.tick(r),
      });
      return { target, control: { applied }, template, tenants };
    } finally {
      progress.stop();
    }
  });
}

async function dryRun(migrator: TenantMigrator, control: DataSource, options: MigrateOptions, runtime: CliRuntime): Promise<MigrateReport> {
  const target = options.to ?? migrator.latestVersion;
  const pending = (await new MigrationExecutor(control).getPendingMigrations()).map((m) => m.name);
  const template = options.only ? null : await migrator.prepareTemplate({ to: target, dryRun: true });
  const progress = new MigrateProgress(runtime.io);
  try {
    const tenants = await migrator.migrateTenants({
      ...options,
      to: target,
      dryRun: true,
      onPlan: (n) => progress.start(n, `Dry run: checking tenants against ${target}`),
      onResult: (r) => progress.tick(r),
    });
    return { target, control: { pending }, template, tenants };
  } catch (err) {
    if (pending.length) throw new CliError(EXIT.FAILED, `${String(err)} (the control database has pending migrations: ${pending.join(', ')}; run rsm migrate)`);
    throw err;
  } finally {
    progress.stop();
  }
}

function printReport(runtime: CliRuntime, report: MigrateReport, summary: Record<string, number>, dryRun: boolean): void {
  const out = (s: string) => runtime.io.stdout.write(s);
  const steps = (list: SchemaStep[]) => (list.length ? list.map((s) => `${s.direction} ${s.name}`).join(', ') : 'nothing');
  const controlLine = dryRun ? `pending: ${report.control.pending?.join(', ') || 'nothing'}` : `applied: ${report.control.applied?.join(', ') || 'nothing'}`;
  out(`${dryRun ? 'Dry run (nothing changed). ' : ''}Target tenant schema version: ${report.target}\n`);
  out(`Control database: ${controlLine}\n`);
  out(`Tenant template: ${report.template ? `${dryRun ? 'would run ' : ''}${steps(report.template)}` : 'left alone (--only)'}\n\n`);
  if (dryRun) {
    const pending = report.tenants.filter((t) => t.outcome === 'pending' || t.outcome === 'failed');
    if (pending.length) {
      out(formatTable(pending.map((t) => ({ tenant: t.organizationId, database: t.databaseName, version: t.fromVersion, would_run: t.error ?? steps(t.steps) })), ['tenant', 'database', 'version', 'would_run']));
      out('\n');
    }
  }
  out(formatTable(OUTCOMES.filter((o) => summary[o]).map((o) => ({ outcome: o, tenants: summary[o] })), ['outcome', 'tenants']));
  const failed = report.tenants.filter((t) => t.outcome === 'failed');
  if (failed.length) {
    out('\nFailed tenants (their registry rows say migration_status = failed; fix, then run rsm migrate again):\n');
    out(formatTable(failed.map((t) => ({ tenant: t.organizationId, database: t.databaseName, version: t.fromVersion, error: t.error })), ['tenant', 'database', 'version', 'error']));
  }
  if (summary.skipped) out(`\n${summary.skipped} tenant(s) skipped: a canary failed.\n`);
}
