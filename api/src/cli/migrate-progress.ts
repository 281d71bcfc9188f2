import cliProgress from 'cli-progress';
import type { TenantMigrationResult } from '../tenancy/tenant-migrator.service.js';
import type { CliIo } from './output.js';

/**
 * Progress of `rsm migrate` on stderr (stdout keeps the summary, or the JSON): on a terminal a live
 * bar with counts, failures and ETA (cli-progress); otherwise one plain line per tenant, which is
 * what a deploy log wants.
 */
export class MigrateProgress {
  private bar: cliProgress.SingleBar | undefined;
  private done = 0;
  private failed = 0;
  private total = 0;

  constructor(private readonly io: CliIo) {}

  start(total: number, label: string): void {
    this.total = total;
    if (this.io.stderr.isTTY) {
      this.bar = new cliProgress.SingleBar(
        {
          stream: this.io.stderr,
          format: `${label} [{bar}] {percentage}% | {value}/{total} tenants | {failed} failed | ETA {eta_formatted}`,
          etaBuffer: 50,
          hideCursor: true,
          fps: 10,
        },
        cliProgress.Presets.shades_classic,
      );
      this.bar.start(total, 0, { failed: 0 });
    } else {
      this.io.stderr.write(`${label}: ${total} tenant(s)\n`);
    }
  }

  tick(result: TenantMigrationResult): void {
    this.done++;
    if (result.outcome === 'failed') this.failed++;
    if (this.bar) {
      this.bar.update(this.done, { failed: this.failed });
      return;
    }
    const width = String(this.total).length;
    const position = `[${String(this.done).padStart(width)}/${this.total}]`;
    const change = result.fromVersion === result.toVersion ? result.toVersion : `${result.fromVersion} -> ${result.toVersion}`;
    const detail =
      result.outcome === 'failed'
        ? `: ${result.error}`
        : result.steps.length
          ? ` ${change} (${result.steps.map((s) => `${s.direction} ${s.name}`).join(', ')})`
          : ` ${change}`;
    this.io.stderr.write(`${position} ${result.outcome.padEnd(10)} ${result.organizationId}${detail}\n`);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}
