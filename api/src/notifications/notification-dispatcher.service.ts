import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../common/request-context.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { Role } from '../control/membership.entity.js';
import { StudioSweep } from '../jobs/studio-sweep.service.js';
import { EventMails, type EmailRecipient } from '../notification-mail/event-mails.js'; // issue 13, mailnotify
import { MailDeliveries } from '../notification-mail/mail-deliveries.service.js'; // issue 13, mailnotify
import { outboxCommits } from '../outbox/outbox-commits.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { NotificationBus } from './notification-bus.service.js';
import { DEFAULT_CHANNEL } from './notification-preference.entity.js';
import { audienceOf, describeEvent, type OutboxRow } from './notification-rules.js';
import { writePortalNotifications } from './portal-notification-rules.js'; // issue 13, board

/**
 * Issue 13, webhooks: another effect of each claimed batch, written in the dispatcher's transaction (so it
 * happens exactly once with it). It may return a function to run after that transaction commits.
 */
export type OutboxBatchConsumer = (manager: EntityManager, tenantId: string, events: OutboxRow[]) => Promise<(() => void) | void>;
import { activeStudioIds } from '../control/active-studios.js';
/** Events claimed per transaction. */
const BATCH = 100;
/**
 * pg_advisory_xact_lock key of "writing notifications" in a studio's database. Held by every transaction
 * that inserts notifications, so their ids commit in increasing order: a stream that has read up to id N
 * never finds a smaller id committed later (identity values are handed out before commit).
 */
const NOTIFICATIONS_WRITE_LOCK = 0x72736d13;

/**
 * Issue 13: turns undispatched outbox events into notifications, exactly once across any number of
 * instances. Each batch is ONE tenant transaction: take the write lock, claim events (FOR UPDATE SKIP
 * LOCKED), insert the notifications, set dispatched_at; it all commits or none of it does. A crash
 * before the commit leaves the events undispatched for the next run; after it, they are done.
 *
 * When it runs: right after a commit that recorded events (outboxCommits, in the committing process), for
 * every studio at start-up, and in the per-minute StudioSweep of each studio with undispatched events,
 * which catches what a crashed process never dispatched. After a batch commits it publishes on the bus for the streams.
 */
@Injectable()
export class NotificationDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('NotificationDispatcher');
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private stopped = false;
  private readonly batchConsumers: OutboxBatchConsumer[] = []; // issue 13, webhooks
  /** Tests: stops dispatching (kicks and sweeps): a dispatcher that died between the commit and the dispatch. */
  paused = false;
  /** The sweep started with the application (tests wait for it). */
  startupSweep: Promise<void> = Promise.resolve();
  private readonly onCommit = (poolTenant: string | undefined) => {
    const tenantId = poolTenant ?? this.context.tenantId(); // the pool's studio, else the committing request's
    if (tenantId) this.kick(tenantId);
  };

  constructor(
    private readonly sweeps: StudioSweep,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    private readonly bus: NotificationBus,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    // Issue 13, mailnotify: emails are queued in the dispatch transaction and sent after it commits.
    private readonly eventMails: EventMails,
    private readonly mailDeliveries: MailDeliveries,
  ) {
    outboxCommits.on('committed', this.onCommit);
    sweeps.register({
      name: 'notifications',
      stage: 0,
      visit: async (tenantId) => {
        if (!this.paused) await this.dispatch(tenantId);
      },
      nextDueAt: async (m) => ((await m.query(`SELECT now() AS due WHERE EXISTS (SELECT 1 FROM outbox WHERE dispatched_at IS NULL)`)) as Array<{ due: Date }>)[0]?.due ?? null,
    });
  }

  /** Issue 13, webhooks: adds an effect to every batch (see OutboxBatchConsumer). */
  onBatch(consumer: OutboxBatchConsumer): void {
    this.batchConsumers.push(consumer);
  }

  onApplicationBootstrap(): void {
    // Events a stopped or crashed instance left behind, without waiting for the first sweep.
    this.startupSweep = this.sweep().catch((err: unknown) => this.logger.error({ err: String(err) }, 'Start-up notification sweep failed'));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    outboxCommits.off('committed', this.onCommit);
    await Promise.allSettled([...this.running.values()]);
  }

  /** Dispatches every studio's pending events (one studio failing does not stop the others). */
  async sweep(): Promise<void> {
    if (this.paused) return;
    const studios = await activeStudioIds(this.control);
    for (const tenantId of studios) {
      if (this.stopped) return;
      await this.dispatch(tenantId).catch((err: unknown) => this.logger.warn({ tenantId, err: String(err) }, 'Notification dispatch failed (next sweep retries)'));
    }
  }

  /** Starts (or re-arms) the dispatch of one studio; concurrent kicks of the same studio coalesce. */
  kick(tenantId: string): void {
    if (this.stopped || this.paused) return;
    if (this.running.has(tenantId)) {
      this.again.add(tenantId);
      return;
    }
    const run = (async () => {
      try {
        do {
          this.again.delete(tenantId);
          await this.dispatch(tenantId);
        } while (this.again.has(tenantId) && !this.stopped);
      } catch (err) {
        this.logger.warn({ tenantId, err: String(err) }, 'Notification dispatch failed (the sweep retries)');
      } finally {
        this.running.delete(tenantId);
      }
    })();
    this.running.set(tenantId, run);
  }

  /** Dispatches one studio's pending events, batch after batch; returns how many notifications were written. */
  async dispatch(tenantId: string): Promise<number> {
    let written = 0;
    for (;;) {
      const batch = await this.context.runForTenant(tenantId, () => this.tenant.transaction((m) => this.dispatchBatch(m, tenantId)));
      for (const afterCommit of batch.afterCommit) afterCommit(); // issue 13, webhooks
      if (batch.lastId) await this.bus.publish(tenantId, batch.lastId).catch((err: unknown) => this.logger.warn({ tenantId, err: String(err) }, 'Bus publish failed (streams re-read on their next tick)'));
      if (batch.mails) this.mailDeliveries.kick(tenantId); // issue 13, mailnotify
      // Issue 14: a sweeper with work from these events (a booking's reminders) gets the studio visited.
      if (batch.types.length) await this.sweeps.dispatched(tenantId, batch.types);
      written += batch.written;
      if (batch.events < BATCH) return written;
    }
  }

  private async dispatchBatch(m: EntityManager, tenantId: string): Promise<{ events: number; types: string[]; written: number; lastId: string | null; mails: number; afterCommit: Array<() => void> }> {
    await m.query('SELECT pg_advisory_xact_lock($1)', [NOTIFICATIONS_WRITE_LOCK]);
    const events = (await m.query(
      `SELECT id, type, subject_type, subject_id, payload, actor_id FROM outbox WHERE dispatched_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
      [BATCH],
    )) as OutboxRow[];
    if (!events.length) return { events: 0, types: [], written: 0, lastId: null, mails: 0, afterCommit: [] };
    const members = (await this.control.query(`SELECT m.user_id, m.role, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1`, [tenantId])) as Array<{
      user_id: string;
      role: Role;
      email: string;
    }>;
    const channels = new Map(
      ((await m.query(`SELECT user_id, category, channel FROM notification_preferences`)) as Array<{ user_id: string; category: string; channel: string }>).map((p) => [`${p.user_id}:${p.category}`, p.channel]),
    );
    const assigned = await this.assignedEngineers(m, events);
    const rows: unknown[][] = [];
    const emailTo: EmailRecipient[] = []; // issue 13, mailnotify
    for (const e of events) {
      const audience = audienceOf(e.type);
      const engineers = new Set(audience.assigned ? (assigned.get(e.subject_id) ?? (e.payload.engineerIds as string[] | undefined) ?? []) : []);
      const { title, body } = describeEvent(e);
      for (const member of members) {
        if (!audience.roles.includes(member.role) && !engineers.has(member.user_id)) continue;
        if (member.user_id === e.actor_id && e.type !== 'announcement') continue; // nobody is told of their own action
        const channel = channels.get(`${member.user_id}:${audience.category}`) ?? DEFAULT_CHANNEL;
        if (channel === 'email' || channel === 'both') emailTo.push({ userId: member.user_id, email: member.email, eventId: e.id, title, body }); // issue 13, mailnotify
        if (channel !== 'in_app' && channel !== 'both') continue;
        rows.push([member.user_id, e.id, e.type, audience.category, title, body, JSON.stringify(e.payload), e.subject_type, e.subject_id, e.actor_id]);
      }
    }
    let lastId: string | null = null;
    if (rows.length) {
      const values = rows.map((_, i) => `(${Array.from({ length: 10 }, (__, j) => `$${i * 10 + j + 1}`).join(', ')})`).join(', ');
      const inserted = (await m.query(
        `INSERT INTO notifications (recipient_user_id, event_id, type, category, title, body, payload, subject_type, subject_id, actor_id) VALUES ${values}
         ON CONFLICT (event_id, recipient_user_id) DO NOTHING RETURNING id`,
        rows.flat(),
      )) as Array<{ id: string }>;
      lastId = inserted.reduce<string | null>((max, r) => (max === null || BigInt(r.id) > BigInt(max) ? r.id : max), null);
    }
    // Issue 13, board: the client portal's notifications (same transaction and lock: ids commit in order
    // there too), and a bus wake-up for the room board when a booking event was dispatched even if nobody
    // was notified (a check-in): staff streams then read the board changes (NotificationStreams).
    const portalLastId = await writePortalNotifications(m, events);
    lastId ??= portalLastId ?? (events.some((e) => e.subject_type === 'booking' || e.subject_type === 'booking_series') ? events[events.length - 1].id : null);
    // Issue 13, mailnotify: staff emails and the client's booking mails, queued with the dispatch (exactly once).
    const [studio] = (await this.control.query(`SELECT name FROM organizations WHERE id = $1`, [tenantId])) as Array<{ name: string }>;
    const mails = await this.eventMails.plan(m, studio?.name ?? 'Your studio', events, emailTo);
    const afterCommit: Array<() => void> = []; // issue 13, webhooks
    for (const consume of this.batchConsumers) {
      const after = await consume(m, tenantId, events);
      if (after) afterCommit.push(after);
    }
    await m.query(`UPDATE outbox SET dispatched_at = clock_timestamp() WHERE id = ANY($1::bigint[])`, [events.map((e) => e.id)]);
    return { events: events.length, types: [...new Set(events.map((e) => e.type))], written: rows.length, lastId, mails, afterCommit };
  }

  /** The engineers assigned to the bookings these events are about (their current assignment). */
  private async assignedEngineers(m: EntityManager, events: OutboxRow[]): Promise<Map<string, string[]>> {
    const bookingIds = [...new Set(events.filter((e) => e.subject_type === 'booking').map((e) => e.subject_id))];
    const byBooking = new Map<string, string[]>();
    if (!bookingIds.length) return byBooking;
    const rows = (await m.query(`SELECT booking_id, user_id FROM booking_engineers WHERE booking_id = ANY($1::uuid[])`, [bookingIds])) as Array<{ booking_id: string; user_id: string }>;
    for (const r of rows) byBooking.set(r.booking_id, [...(byBooking.get(r.booking_id) ?? []), r.user_id]);
    return byBooking;
  }
}
