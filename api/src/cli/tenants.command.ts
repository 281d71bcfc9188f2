import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { type CliRuntime, intOption } from './cli.js';
import { EXIT } from './exit-codes.js';
import { formatTable, parseDuration, writeJson } from './output.js';
import { TenantAdmin, type TenantRow } from './tenant-admin.service.js';

const ROW_COLUMNS = ['organizationId', 'name', 'databaseName', 'status', 'schemaVersion', 'migrationStatus', 'migratedAt'];

export function registerTenantsCommands(program: Command, runtime: CliRuntime): void {
  const tenants = program.command('tenants').description('The tenant registry (tenant_databases): list, inspect, check, archive, restore, sweep');
  const json = () => Boolean(program.opts().json);
  const out = (s: string): void => {
    runtime.io.stdout.write(s);
  };
  const withAdmin = async (fn: (admin: TenantAdmin) => Promise<void>): Promise<void> => runtime.withApp((app) => fn(app.get(TenantAdmin)));
  const printRow = (row: TenantRow): void =>
    json() ? writeJson(runtime.io, row) : out(Object.entries(row as object).map(([k, v]) => `${k.padEnd(16)} ${v instanceof Date ? v.toISOString() : (v ?? '-')}`).join('\n') + '\n');

  tenants
    .command('list')
    .description('Every tenant in the registry, oldest first (the order rsm migrate runs in)')
    .action(() =>
      withAdmin(async (admin) => {
        const rows = await admin.list();
        if (json()) writeJson(runtime.io, rows);
        else out(formatTable(rows as unknown as Array<Record<string, unknown>>, ROW_COLUMNS));
      }),
    );

  tenants
    .command('show')
    .description('One tenant: its registry row, last migration run, and its database\'s owner stamp')
    .argument('<id>', 'organization id')
    .action((id: string) => withAdmin(async (admin) => printRow(await admin.show(id))));

  tenants
    .command('check')
    .description(
      'Open every tenant exactly as the API does (its own role, the registered database, the owner stamp, the schema version ' +
        'the code serves) and report what is wrong. Exit 1 when any ready tenant has a problem.',
    )
    .option('--only <ids>', 'only these tenants (comma-separated)', (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean))
    .option('--concurrency <n>', 'tenants checked at once', intOption(1, 32), 4)
    .action((options: { only?: string[]; concurrency: number }) =>
      withAdmin(async (admin) => {
        const results = await admin.check(options.only, options.concurrency);
        const bad = results.filter((r) => r.result !== 'ok' && r.result !== 'archived');
        if (bad.length) runtime.exit(EXIT.TENANTS_FAILED);
        if (json()) return writeJson(runtime.io, { tenants: results, problems: bad.length });
        out(formatTable(results as unknown as Array<Record<string, unknown>>, ['organizationId', 'databaseName', 'status', 'result', 'registryVersion', 'databaseVersion', 'detail']));
        out(`\n${results.length - bad.length}/${results.length} tenant(s) fine${bad.length ? `, ${bad.length} with problems` : ''}\n`);
      }),
    );

  tenants
    .command('archive')
    .description('Stop serving a tenant (status archived: the API refuses it with 503); its database is kept')
    .argument('<id>', 'organization id')
    .action((id: string) => withAdmin(async (admin) => printRow(await admin.archive(id))));

  tenants
    .command('restore')
    .description('Serve an archived tenant again, after bringing its database to the latest schema')
    .argument('<id>', 'organization id')
    .action((id: string) => withAdmin(async (admin) => printRow(await admin.restore(id))));

  tenants
    .command('sweep')
    .description(
      'Find databases named like a tenant\'s that no registry row owns (a sign-up that crashed halfway) and drop them, with ' +
        'their roles, once a sweep has seen them orphaned for longer than the grace period (PostgreSQL records no creation ' +
        'time: the first sweep starts the clock).',
    )
    .option('--older-than <duration>', 'grace period: 24h, 30m, 7d, 0s …', parseGrace, 86_400_000)
    .option('--dry-run', 'list them, drop nothing, record nothing')
    .action((options: { olderThan: number; dryRun?: boolean }) =>
      withAdmin(async (admin) => {
        const orphans = await admin.sweep({ olderThanMs: options.olderThan, dryRun: Boolean(options.dryRun) });
        if (json()) return writeJson(runtime.io, { orphans, dropped: orphans.filter((o) => o.dropped).length });
        if (!orphans.length) return out('No orphan tenant databases.\n');
        out(formatTable(orphans as unknown as Array<Record<string, unknown>>, ['databaseName', 'stamp', 'firstSeenAt', 'dropped', 'kept']));
      }),
    );
}

function parseGrace(value: string): number {
  const ms = parseDuration(value);
  if (Number.isNaN(ms)) throw new InvalidArgumentError('a duration such as 24h, 30m, 7d or 0s');
  return ms;
}
