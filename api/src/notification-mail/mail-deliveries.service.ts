import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { RequestContext } from '../common/request-context.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { StudioSweep } from '../jobs/studio-sweep.service.js';
import { mailErrorForLog, MailOutbox } from '../mail/mail-outbox.service.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { StoredAttachment } from './mail-delivery.entity.js';
import { activeStudioIds } from '../control/active-studios.js';

/**
 * A message's content is kept only while it may still be sent: once sent or skipped, the row keeps who, what
 * kind and when (the dedupe key still refuses a second one), not the text or .ics — a reminder's door code
 * must not sit in the studio's database for good.
 */
const FORGET_CONTENT = `body_text = '', body_html = NULL, attachments = '[]'::jsonb`;
/** Attempts before a message is given up (failed_at); with the backoff below that spans about two days. */
export const MAX_MAIL_ATTEMPTS = 10;
/**
 * How long a claimed message stays reserved for the instance sending it. Longer than any SMTP exchange
 * (nodemailer gives up on a silent socket after 10 minutes), so a message is only picked again when its sender died.
 */
const CLAIM_LEASE_SECONDS = 900;

/** How long the studio sweep waits for one studio's sending before it goes on to the next studio. */
const VISIT_WAIT_MS = 10_000;

/** Retry delay after the n-th failed attempt: 1, 2, 4 … minutes, at most 12 hours. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(60 * 2 ** Math.max(0, attempts - 1), 12 * 3600);
}

interface ClaimedMail {
  id: string;
  kind: string;
  to_address: string;
  sender_name: string | null;
  subject: string;
  body_text: string;
  body_html: string | null;
  attachments: StoredAttachment[];
  attempts: number;
}

/**
 * Issue 13, mailnotify: sends the studio's queued messages (mail_deliveries). Each message is CLAIMED in a
 * short transaction (`FOR UPDATE SKIP LOCKED`, attempts + 1, reserved for CLAIM_LEASE_SECONDS), sent with no
 * transaction open, then marked sent; a failure schedules the next attempt with exponential backoff. Two
 * instances never claim the same row; a process dying between the SMTP server's acceptance and the mark is
 * the one case where a message goes out twice (after the lease) — SMTP offers nothing stronger.
 * Reminders are re-checked at their claim: a booking cancelled or moved since is skipped, not sent.
 *
 * Sending never runs in the dispatcher's transaction: a slow or refusing SMTP server delays mail, never
 * in-app notifications. Runs after a commit that queued mail (kick), at start-up, and in the per-minute
 * StudioSweep of each studio with a message due (retries that became due, what a crashed process left): a
 * failure wakes the studio for its retry time.
 */
@Injectable()
export class MailDeliveries implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('MailDeliveries');
  private readonly running = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();
  private stopped = false;
  /** Tests: kicks and sweeps do nothing (tests then call deliver() themselves). */
  paused = false;
  /** The sweep started with the application (awaited at shutdown). */
  private startupSweep: Promise<void> = Promise.resolve();

  constructor(
    private readonly sweeps: StudioSweep,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    private readonly outbox: MailOutbox,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {
    sweeps.register({
      name: 'mail',
      stage: 2,
      // Waited for at most VISIT_WAIT_MS: a slow SMTP server must not hold up the other studios' sweep (a
      // message still being sent is due at its lease's end; a refused one wakes the studio for its retry).
      visit: async (tenantId) => {
        this.kick(tenantId);
        await Promise.race([this.running.get(tenantId), new Promise((resolve) => setTimeout(resolve, VISIT_WAIT_MS).unref())]);
      },
      nextDueAt: async (m) =>
        ((await m.query(`SELECT min(next_attempt_at) AS due FROM mail_deliveries WHERE sent_at IS NULL AND skipped_at IS NULL AND failed_at IS NULL`)) as Array<{ due: Date | null }>)[0].due,
    });
  }

  onApplicationBootstrap(): void {
    // What a stopped or crashed instance left unsent, without waiting for the first scheduled sweep.
    this.startupSweep = this.sweep().catch((err: unknown) => this.logger.error({ err: String(err) }, 'Start-up mail sweep failed'));
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await Promise.allSettled([this.startupSweep, ...this.running.values()]);
  }

  async sweep(): Promise<void> {
    if (this.paused) return;
    const studios = await activeStudioIds(this.control);
    for (const tenantId of studios) {
      if (this.stopped) return;
      await this.deliver(tenantId).catch((err: unknown) => this.logger.warn({ tenantId, err: String(err) }, 'Mail delivery failed (next sweep retries)'));
    }
  }

  /** Starts (or re-arms) one studio's delivery in the background; concurrent kicks coalesce. */
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
          await this.deliver(tenantId);
        } while (this.again.has(tenantId) && !this.stopped);
      } catch (err) {
        this.logger.warn({ tenantId, err: String(err) }, 'Mail delivery failed (the sweep retries)');
      } finally {
        this.running.delete(tenantId);
      }
    })();
    this.running.set(tenantId, run);
  }

  /** Sends every due message of one studio; returns how many went out. */
  async deliver(tenantId: string): Promise<number> {
    return this.context.runForTenant(tenantId, async () => {
      let sent = 0;
      for (;;) {
        if (this.stopped) return sent;
        const mail = await this.claim();
        if (!mail) return sent;
        if (await this.send(mail)) sent++;
      }
    });
  }

  /** The next due message, reserved for this instance; reminders whose booking was cancelled or moved are marked skipped on the way. */
  private claim(): Promise<ClaimedMail | null> {
    return this.tenant.transaction(async (m) => {
      for (;;) {
        const [row] = (await m.query(
          `SELECT d.id, d.booking_id, (d.booking_id IS NOT NULL AND (b.id IS NULL OR b.status <> 'confirmed' OR b.starts_at <> d.booking_starts_at)) AS stale
             FROM mail_deliveries d LEFT JOIN bookings b ON b.id = d.booking_id AND d.reminder_offset_minutes IS NOT NULL
            WHERE d.sent_at IS NULL AND d.skipped_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= clock_timestamp()
            ORDER BY d.next_attempt_at, d.id LIMIT 1 FOR UPDATE OF d SKIP LOCKED`,
        )) as Array<{ id: string; stale: boolean }>;
        if (!row) return null;
        if (row.stale) {
          await m.query(`UPDATE mail_deliveries SET skipped_at = clock_timestamp(), ${FORGET_CONTENT} WHERE id = $1`, [row.id]);
          continue;
        }
        const [claimed] = (await m.query(
          `UPDATE mail_deliveries SET attempts = attempts + 1, last_error = NULL, next_attempt_at = clock_timestamp() + make_interval(secs => $2)
            WHERE id = $1 RETURNING id::text AS id, kind, to_address, sender_name, subject, body_text, body_html, attachments, attempts`,
          [row.id, CLAIM_LEASE_SECONDS],
        )) as [ClaimedMail[], number];
        return claimed[0];
      }
    });
  }

  private async send(mail: ClaimedMail): Promise<boolean> {
    try {
      await this.outbox.send({
        to: mail.to_address,
        subject: mail.subject,
        text: mail.body_text,
        ...(mail.body_html ? { html: mail.body_html } : {}),
        kind: mail.kind,
        ...(mail.sender_name ? { senderName: mail.sender_name } : {}),
        attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: Buffer.from(a.content, 'utf8') })),
      });
    } catch (err) {
      const giveUp = mail.attempts >= MAX_MAIL_ATTEMPTS;
      await this.tenant.run((m) =>
        m.query(
          `UPDATE mail_deliveries SET next_attempt_at = clock_timestamp() + make_interval(secs => $2), last_error = $3, failed_at = CASE WHEN $4 THEN clock_timestamp() END WHERE id = $1`,
          [mail.id, retryDelaySeconds(mail.attempts), String((err as Error).message ?? err).slice(0, 500), giveUp],
        ),
      );
      // Once the retry is stored (a process dying in between leaves the claim's lease: due within 15 min).
      if (!giveUp) await this.sweeps.wake(this.tenant.tenantId, retryDelaySeconds(mail.attempts) * 1000);
      this.logger.warn({ tenantId: this.tenant.tenantId, mailId: mail.id, kind: mail.kind, attempts: mail.attempts, giveUp, ...mailErrorForLog(err, false) }, giveUp ? 'Mail given up' : 'Mail failed, will retry');
      return false;
    }
    await this.tenant.run((m) => m.query(`UPDATE mail_deliveries SET sent_at = clock_timestamp(), last_error = NULL, ${FORGET_CONTENT} WHERE id = $1`, [mail.id]));
    return true;
  }
}
