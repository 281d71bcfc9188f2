import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../common/request-context.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { JobQueue } from './job-queue.service.js';

export const STUDIO_SWEEP_QUEUE = 'studio-sweep';
/**
 * Every studio is visited at least this often whatever its hint says. It bounds how late work can be
 * when a hint was lost: a process that died between a commit and its wake, or a change no sweeper is
 * told of (a studio's new reminder offsets).
 */
export const SWEEP_BACKSTOP_MS = 15 * 60_000;

/** One kind of per-studio background work (outbox dispatch, reminders, mail, webhooks). */
export interface StudioSweeper {
  readonly name: string;
  /** Visit order, smallest first: work that queues other work (notifications queue mail, reminders are mail) goes first. */
  readonly stage: number;
  /** Does (or starts, in the background) the studio's due work of this kind. */
  visit(tenantId: string): Promise<void>;
  /**
   * When work of this kind is next due, read in the current studio's database; null: none. `since` is when
   * the visit began: work that came due after it (while the visit ran) is returned as due, not skipped.
   */
  nextDueAt(m: EntityManager, since: Date): Promise<Date | null>;
  /** Whether dispatching these outbox event types may have made work of this kind due (e.g. a booking → a reminder). */
  wakesOn?(eventType: string): boolean;
}

/**
 * Issue 14: the per-minute background sweep visits only the studios with work due, not all of them.
 *
 * Each sweeper used to visit every studio every minute: at 1,000 studios that was ~4,000 tenant pool
 * opens a minute, evicting the pools that requests were using. Now each studio has a hint in the control
 * database (`studio_wakeups.due_at`): after a visit the sweep asks every sweeper when its next work is
 * due in that studio and stores the earliest (at most SWEEP_BACKSTOP_MS ahead); work scheduled later
 * than that visit announces itself with `wake` (a mail or webhook retry, a dispatched booking event). A
 * studio without a hint is due (a new studio, or one from before this table).
 *
 * A wake that lands while a visit is reading the studio must not be overwritten by that visit's answer:
 * every wake raises `version`, and the visit stores its answer only if the version it started from is
 * still there (otherwise the studio stays due and the next sweep looks again).
 *
 * Work made due by a request is still done at once by the committing process (the dispatcher's and the
 * deliveries' kicks); the sweep is what catches retries, time-based work and what a crash left behind.
 */
@Injectable()
export class StudioSweep implements OnModuleDestroy {
  private readonly logger = new Logger('StudioSweep');
  private readonly sweepers: StudioSweeper[] = [];
  private stopped = false;

  constructor(
    queue: JobQueue,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {
    queue.register({
      queue: { name: STUDIO_SWEEP_QUEUE, policy: 'exclusive', retryLimit: 1, expireInSeconds: 900 },
      cron: '* * * * *',
      handler: async () => {
        await this.run();
      },
    });
  }

  /** Adds a kind of work; call from the sweeper's constructor. */
  register(sweeper: StudioSweeper): void {
    this.sweepers.push(sweeper);
    this.sweepers.sort((a, b) => a.stage - b.stage);
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  /**
   * Announces work due in a studio in `delayMs` (now by default): the first sweep after that visits it.
   * Call it once the work is stored (a visit reading the studio before that would not see it). Never
   * throws: a wake that cannot be stored (the control database unreachable) is logged, and the backstop
   * visit finds the work instead, so the caller's own write is never undone by it.
   */
  async wake(tenantId: string, delayMs = 0): Promise<void> {
    // A studio without a row is due now (never visited since this table came): its first row says so too,
    // whatever the delay, or a far retry would hide everything else it has due. INSERT … SELECT: a studio
    // deleted meanwhile gets no row (rather than a foreign-key error).
    await this.control
      .query(
        `INSERT INTO studio_wakeups (organization_id, due_at) SELECT id, now() FROM organizations WHERE id = $1
         ON CONFLICT (organization_id) DO UPDATE SET due_at = LEAST(studio_wakeups.due_at, now() + $2 * interval '1 millisecond'), version = studio_wakeups.version + 1`,
        [tenantId, Math.max(0, Math.round(delayMs))],
      )
      .catch((err: unknown) => this.logger.warn({ tenantId, err: String(err) }, 'Studio wake-up not stored (the studio is visited within 15 min anyway)'));
  }

  /** After the dispatcher committed these events in a studio: wakes it if a sweeper has work from them. */
  async dispatched(tenantId: string, eventTypes: string[]): Promise<void> {
    if (this.sweepers.some((s) => s.wakesOn && eventTypes.some((type) => s.wakesOn!(type)))) await this.wake(tenantId);
  }

  /** Visits every studio whose work is due, one after another; returns how many it visited. */
  async run(): Promise<number> {
    const due = (await this.control.query(
      `SELECT o.id, COALESCE(w.version, 0)::text AS version
         FROM tenant_databases t JOIN organizations o ON o.id = t.organization_id LEFT JOIN studio_wakeups w ON w.organization_id = o.id
        WHERE o.suspended_at IS NULL AND (w.due_at IS NULL OR w.due_at <= now())
        ORDER BY w.due_at NULLS FIRST`,
    )) as Array<{ id: string; version: string }>;
    let visited = 0;
    for (const studio of due) {
      if (this.stopped) break;
      await this.visit(studio.id, studio.version).then(
        () => visited++,
        (err: unknown) => this.logger.warn({ tenantId: studio.id, err: String(err) }, 'Studio sweep failed (the next sweep retries)'),
      );
    }
    return visited;
  }

  /**
   * Does one studio's due work, then records when it next has some (unless a wake came in meanwhile).
   * Every kind runs even when one fails (a poisoned event must not stop the mail); then the studio stays due.
   */
  private async visit(tenantId: string, seenVersion: string): Promise<void> {
    const since = new Date();
    const failed: string[] = [];
    for (const sweeper of this.sweepers) {
      await sweeper.visit(tenantId).catch((err: unknown) => failed.push(`${sweeper.name}: ${String(err)}`));
    }
    if (failed.length) throw new Error(failed.join('; '));
    const next = await this.context.runForTenant(tenantId, () =>
      this.tenant.run(async (m) => {
        let earliest: Date | null = null;
        for (const sweeper of this.sweepers) {
          const due = await sweeper.nextDueAt(m, since);
          if (due && (!earliest || due < earliest)) earliest = due;
        }
        return earliest;
      }),
    );
    await this.control.query(
      `INSERT INTO studio_wakeups (organization_id, due_at, version)
       SELECT id, LEAST(COALESCE($3::timestamptz, 'infinity'), now() + $4 * interval '1 millisecond'), 0 FROM organizations WHERE id = $1
       ON CONFLICT (organization_id) DO UPDATE SET due_at = EXCLUDED.due_at WHERE studio_wakeups.version = $2::bigint`,
      [tenantId, seenVersion, next, SWEEP_BACKSTOP_MS],
    );
  }
}
