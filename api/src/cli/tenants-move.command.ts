import type { Command } from 'commander';
import { TenantMoveError, TenantMover } from '../tenancy/tenant-mover.service.js';
import type { CliRuntime } from './cli.js';
import { CliError, EXIT } from './exit-codes.js';
import { formatTable, writeJson } from './output.js';

/**
 * Issue 8, ops-servers: `rsm tenants move <id> --to <server>`, on TenantMover (docs/tenant-servers.md).
 * Registered after the `tenants` group (registerTenantsCommands), under it.
 */
export function registerTenantMoveCommand(program: Command, runtime: CliRuntime): void {
  const tenants = program.commands.find((c) => c.name() === 'tenants');
  if (!tenants) throw new Error('registerTenantMoveCommand must run after registerTenantsCommands');
  tenants
    .command('move')
    .description(
      'Move a tenant database to another PostgreSQL server (TENANT_SERVERS): the studio is read-only while its rows are ' +
        'copied (writes get 503 with Retry-After), row counts and checksums are compared per table, the registry is flipped, ' +
        'the old copy is fenced and dropped after TENANT_MOVE_GRACE_HOURS. Exit 1 when the move failed (it was undone).',
    )
    .argument('<id>', 'organization id')
    .requiredOption('--to <server>', 'the server to move it to (a name in TENANT_SERVERS)')
    .action((id: string, options: { to: string }) =>
      runtime.withApp(async (app) => {
        let result;
        try {
          result = await app.get(TenantMover).move(id, options.to);
        } catch (err) {
          // Asked for something impossible (unknown tenant or server, already there): nothing was done.
          if (err instanceof TenantMoveError && err.refused) {
            throw new CliError(EXIT.USAGE, err.message);
          }
          runtime.exit(EXIT.TENANTS_FAILED);
          const message = err instanceof Error ? err.message : String(err);
          if (Boolean(program.opts().json)) writeJson(runtime.io, { organizationId: id, to: options.to, moved: false, error: message });
          else runtime.io.stderr.write(`rsm: the move of ${id} failed and was undone: ${message}\n`);
          return;
        }
        if (Boolean(program.opts().json)) return writeJson(runtime.io, { moved: true, ...result });
        runtime.io.stdout.write(formatTable(result.tables as unknown as Array<Record<string, unknown>>, ['table', 'rows', 'checksum']));
        runtime.io.stdout.write(
          `\nMoved ${id} (${result.databaseName}) from ${result.from} to ${result.to}: ${result.tables.length} table(s), ` +
            `${result.tables.reduce((n, t) => n + t.rows, 0)} row(s), ${result.sequences} sequence(s) verified.\n` +
            `The old copy on ${result.from} is kept until ${result.dropAfter.toISOString()} (move ${result.moveId}).\n`,
        );
      }),
    );
}
