import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { RequestContext } from '../common/request-context.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { StudioSweep } from '../jobs/studio-sweep.service.js';
import { NotificationDispatcher } from '../notifications/notification-dispatcher.service.js';
import type { OutboxRow } from '../notifications/notification-rules.js';
import { recordEvent } from '../outbox/record-event.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { PING_EVENT, RETRY_WINDOW_MS, retryDelayMs, signatureHeader, WEBHOOK_EVENT_TYPES, type WebhookMessage } from './webhook-events.js';
import { sendWebhook, type SendResult } from './webhook-sender.js';
import { urlForRecords } from './webhook-url-guard.js';
import { activeStudioIds } from '../control/active-studios.js';

const WEBHOOK_ACTOR = { type: 'system' as const, id: null, label: 'webhooks' };

/** A delivery claimed for one attempt, with what it takes to send it. */
interface ClaimedDelivery {
  id: string;
  endpoint_id: string;
  event_id: string | null;
  event_type: string;
  data: Record<string, unknown>;
  event_created_at: Date;
  attempt_count: number;
  give_up_at: Date;
  url: string;
  secret: string;
}

/** The body's `id`: the outbox event's (the same for every endpoint and attempt), or the ping delivery's own. */
export const messageId = (d: { id: string; event_id: string | null }) => (d.event_id ? `evt_${d.event_id}` : `${PING_EVENT}_${d.id}`);

/**
 * Issue 13, webhooks: turns outbox events into deliveries and sends them.
 *
 * Fan-out runs inside the notification dispatcher's batch transaction (onBatch): one row per event and
 * matching enabled endpoint, committed with the events' `dispatched_at`, so exactly once across any number
 * of instances (and `UNIQUE (endpoint_id, event_id)` besides).
 *
 * Sending: a short transaction claims due deliveries (`FOR UPDATE SKIP LOCKED`) and pushes their
 * `next_attempt_at` past the attempt's timeout, which makes it a lease: no other instance takes them, no
 * connection is held during the HTTP call, and a crash mid-attempt only delays a retry. `leased_until`
 * says the same for the redelivery route, which refuses a delivery in flight (it would move
 * `next_attempt_at` back to now, and another claim would send it a second time at once). Each attempt is
 * its own promise, at most WEBHOOKS_CONCURRENCY at once per instance: a slow endpoint holds one slot for
 * at most the timeout and never stops the others. Woken after fan-out, redelivery and test pings, and by
 * the per-minute StudioSweep of each studio with a delivery due, which is what runs the retries (a failed
 * attempt wakes its studio for the retry time; an expired lease is due at its end).
 */
@Injectable()
export class WebhookDeliveryWorker implements OnModuleDestroy {
  private readonly logger = new Logger('Webhooks');
  private readonly limit: number;
  private inFlight = 0;
  private readonly waiting = new Set<string>();
  private readonly claiming = new Set<string>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    dispatcher: NotificationDispatcher,
    private readonly sweeps: StudioSweep,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {
    this.limit = config.webhooks.concurrency;
    dispatcher.onBatch((m, tenantId, events) => this.fanOut(m, tenantId, events));
    sweeps.register({
      name: 'webhooks',
      stage: 2,
      visit: async (tenantId) => this.kick(tenantId),
      // A claimed delivery's next_attempt_at is its lease's end: due again only if its attempt never recorded.
      // Deliveries of a disabled endpoint wait for it to be enabled again (which kicks them), not for a sweep.
      nextDueAt: async (m) =>
        ((await m.query(`SELECT min(d.next_attempt_at) AS due FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled WHERE d.status IN ('pending', 'failed')`)) as Array<{
          due: Date | null;
        }>)[0].due,
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.drain();
  }

  /** In the dispatcher's transaction: one delivery per event and matching enabled endpoint. */
  private async fanOut(m: EntityManager, tenantId: string, events: OutboxRow[]): Promise<(() => void) | void> {
    const inserted = (await m.query(
      `INSERT INTO webhook_deliveries (endpoint_id, event_id, event_type, data, event_created_at, next_attempt_at, give_up_at)
       SELECT w.id, o.id, o.type, o.payload || jsonb_build_object('subjectType', o.subject_type, 'subjectId', o.subject_id), o.occurred_at, now(), now() + $3 * interval '1 millisecond'
         FROM outbox o JOIN webhook_endpoints w ON w.enabled AND ('*' = ANY(w.events) OR o.type = ANY(w.events))
        WHERE o.id = ANY($1::bigint[]) AND o.type = ANY($2::text[])
       ON CONFLICT (endpoint_id, event_id) DO NOTHING RETURNING id`,
      [events.map((e) => e.id), WEBHOOK_EVENT_TYPES, RETRY_WINDOW_MS],
    )) as unknown[];
    if (inserted.length) return () => this.kick(tenantId);
  }

  /** Every studio's due deliveries (tests; the schedule visits only the studios with one due: StudioSweep). */
  async sweep(): Promise<void> {
    const studios = await activeStudioIds(this.control);
    for (const tenantId of studios) this.kick(tenantId);
  }

  /** Sends this studio's due deliveries (as slots allow); kicks of the same studio coalesce. */
  kick(tenantId: string): void {
    if (this.stopped) return;
    this.waiting.add(tenantId);
    this.pump();
  }

  /** Resolves when nothing is waiting, being claimed or being sent (tests, shutdown). */
  async drain(): Promise<void> {
    while (this.claiming.size || this.running.size || (this.waiting.size && !this.stopped)) {
      await Promise.allSettled([...this.running]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  private pump(): void {
    for (const tenantId of [...this.waiting]) {
      if (this.inFlight >= this.limit) return;
      if (this.claiming.has(tenantId)) continue; // its claim re-arms it when it fills every slot
      this.waiting.delete(tenantId);
      this.claiming.add(tenantId);
      void this.claimAndSend(tenantId)
        .catch((err: unknown) => this.logger.warn({ tenantId, err: String(err) }, 'Webhook claim failed (the sweep retries)'))
        .finally(() => {
          this.claiming.delete(tenantId);
          this.pump();
        });
    }
  }

  private async claimAndSend(tenantId: string): Promise<void> {
    const slots = this.limit - this.inFlight;
    if (slots <= 0) return void this.waiting.add(tenantId);
    this.inFlight += slots; // reserved before the claim, so concurrent claims never overshoot the limit
    let claimed: ClaimedDelivery[] = [];
    try {
      claimed = await this.context.runForTenant(tenantId, () => this.tenant.transaction((m) => this.claim(m, slots)));
    } finally {
      this.inFlight -= slots - claimed.length;
    }
    if (claimed.length === slots) this.waiting.add(tenantId); // there may be more
    for (const delivery of claimed) {
      const attempt: Promise<void> = this.attempt(tenantId, delivery)
        .catch((err: unknown) => this.logger.warn({ tenantId, deliveryId: delivery.id, err: String(err) }, 'Webhook attempt not recorded (retried after its lease)'))
        .finally(() => {
          this.inFlight--;
          this.running.delete(attempt);
          this.pump();
        });
      this.running.add(attempt);
    }
  }

  private async claim(m: EntityManager, slots: number): Promise<ClaimedDelivery[]> {
    const leaseMs = this.config.webhooks.timeoutMs + 60_000;
    const [claimed] = (await m.query(
      `WITH due AS (
         SELECT d.id FROM webhook_deliveries d JOIN webhook_endpoints w ON w.id = d.endpoint_id AND w.enabled
          WHERE d.status IN ('pending', 'failed') AND d.next_attempt_at <= clock_timestamp()
          ORDER BY d.next_attempt_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED)
       UPDATE webhook_deliveries d SET attempt_count = d.attempt_count + 1, next_attempt_at = clock_timestamp() + $2 * interval '1 millisecond', leased_until = clock_timestamp() + $2 * interval '1 millisecond', updated_at = clock_timestamp()
         FROM due, webhook_endpoints w WHERE d.id = due.id AND w.id = d.endpoint_id
       RETURNING d.id, d.endpoint_id, d.event_id, d.event_type, d.data, d.event_created_at, d.attempt_count, d.give_up_at, w.url, w.secret`,
      [slots, leaseMs],
    )) as [ClaimedDelivery[], number]; // an UPDATE: TypeORM answers [rows, count]
    return claimed;
  }

  /** One attempt: sign, POST, record the outcome (and disable an endpoint failing for 3 days). */
  private async attempt(tenantId: string, d: ClaimedDelivery): Promise<void> {
    const message: WebhookMessage = { id: messageId(d), type: d.event_type, createdAt: new Date(d.event_created_at).toISOString(), data: d.data };
    const body = JSON.stringify(message);
    const timestamp = Math.floor(Date.now() / 1000);
    const result = await sendWebhook(
      d.url,
      body,
      { 'webhook-id': d.id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signatureHeader(d.secret, timestamp, body) },
      { timeoutMs: this.config.webhooks.timeoutMs, allowPrivate: this.config.webhooks.allowPrivateUrls },
    );
    const retryAt = await this.context.runForTenant(tenantId, () => this.tenant.transaction((m) => this.record(m, d, result)));
    // Once the retry is committed (a process dying in between leaves the claim's lease: due when it ends).
    if (retryAt) await this.sweeps.wake(tenantId, retryAt.getTime() - Date.now());
  }

  /** Stores the attempt's outcome; returns when it is retried (null: succeeded or given up). */
  private async record(m: EntityManager, d: ClaimedDelivery, result: SendResult): Promise<Date | null> {
    const ok = result.status !== null && result.status >= 200 && result.status < 300;
    const error = ok ? null : (result.error ?? `HTTP ${result.status}`);
    const nextAttempt = new Date(Date.now() + retryDelayMs(d.attempt_count));
    const status = ok ? 'succeeded' : nextAttempt > new Date(d.give_up_at) ? 'abandoned' : 'failed';
    // Only the attempt that holds the lease writes (a redelivery or a later claim may have moved on).
    await m.query(
      `UPDATE webhook_deliveries SET status = $3, next_attempt_at = $4, leased_until = NULL, last_attempt_at = clock_timestamp(), last_response_code = $5, last_duration_ms = $6, last_error = $7, updated_at = clock_timestamp()
        WHERE id = $1 AND attempt_count = $2`,
      [d.id, d.attempt_count, status, status === 'failed' ? nextAttempt : null, result.status, result.durationMs, error],
    );
    if (ok) {
      await m.query(`UPDATE webhook_endpoints SET failing_since = NULL WHERE id = $1 AND failing_since IS NOT NULL`, [d.endpoint_id]);
      return null;
    }
    const [[endpoint]] = (await m.query(
      `UPDATE webhook_endpoints SET failing_since = COALESCE(failing_since, clock_timestamp()) WHERE id = $1
       RETURNING url, enabled, failing_since, failing_since <= clock_timestamp() - $2 * interval '1 millisecond' AS failed_too_long`,
      [d.endpoint_id, RETRY_WINDOW_MS],
    )) as [Array<{ url: string; enabled: boolean; failing_since: Date; failed_too_long: boolean }>, number];
    if (endpoint?.enabled && endpoint.failed_too_long) {
      await this.disable(m, d.endpoint_id, endpoint.url, new Date(endpoint.failing_since));
      return null;
    }
    return status === 'failed' ? nextAttempt : null;
  }

  /** Failing for 3 days: disabled, its queued deliveries abandoned, and the studio's managers told (outbox → notification). */
  private async disable(m: EntityManager, endpointId: string, url: string, failingSince: Date): Promise<void> {
    const reason = `Failing since ${failingSince.toISOString()}`;
    await m.query(`UPDATE webhook_endpoints SET enabled = false, disabled_reason = $2, updated_at = clock_timestamp() WHERE id = $1`, [endpointId, reason]);
    await m.query(`UPDATE webhook_deliveries SET status = 'abandoned', next_attempt_at = NULL, updated_at = clock_timestamp() WHERE endpoint_id = $1 AND status IN ('pending', 'failed')`, [endpointId]);
    await this.audit.record(m, { action: 'webhook_endpoint.disabled', targetType: 'webhook_endpoint', targetId: endpointId, details: { url: urlForRecords(url), reason } }, WEBHOOK_ACTOR);
    await recordEvent(m, { type: 'webhook.endpoint_disabled', subjectType: 'webhook_endpoint', subjectId: endpointId, payload: { url: urlForRecords(url), failingSince: failingSince.toISOString() } });
    this.logger.warn({ endpointId, failingSince }, 'Webhook endpoint disabled after 3 days of failures');
  }
}
