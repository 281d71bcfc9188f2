import { recordEvent } from '../outbox/record-event.js'; // issue 13, realtime
import { Injectable, Logger } from '@nestjs/common';
import type { Job } from 'pg-boss';
import { AuditLog } from '../audit/audit-log.service.js';
import { RequestContext } from '../common/request-context.js';
import { ValidationProblem } from '../common/problem.js';
import { JobQueue } from '../jobs/job-queue.service.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { HOLD_EXPIRY_ACTOR } from './booking-writes.js';

export const HOLD_EXPIRY_QUEUE = 'booking-hold-expiry';

/** What a hold-expiry job names: its studio (the tenant, never ambient) and the booking. */
export interface HoldExpiryData {
  organizationId: string;
  bookingId: string;
}

/**
 * Releases a hold at its holdExpiresAt with no request involved: creating a hold sends a job due then
 * (pg-boss on the control database: stored, so it survives restarts, and fetched with SKIP LOCKED, so one
 * instance runs it). The handler enters the job's tenant (RequestContext.runForTenant) and uses
 * TenantConnection like a request would. Releasing is a conditional UPDATE (still a hold, expiry passed),
 * so a job run twice, or racing a write that released the hold first, releases and audits it once.
 */
@Injectable()
export class HoldExpiryJob {
  private readonly logger = new Logger('HoldExpiry');

  constructor(
    private readonly queue: JobQueue,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
  ) {
    queue.register({
      queue: { name: HOLD_EXPIRY_QUEUE, policy: 'standard', retryLimit: 10, retryDelay: 5, retryBackoff: true, expireInSeconds: 300 },
      handler: async (jobs: Job<object>[]) => {
        for (const job of jobs) await this.handle(job.data as HoldExpiryData);
      },
    });
  }

  /** holdExpiresAt for a new booking: required and in the future for a hold, ignored otherwise. */
  validExpiry(status: 'hold' | 'confirmed', holdExpiresAt: string | undefined): Date | null {
    if (status !== 'hold') return null;
    if (!holdExpiresAt) throw new ValidationProblem([{ field: 'holdExpiresAt', messages: ['holdExpiresAt is required for a hold'] }]);
    const at = new Date(holdExpiresAt);
    if (at.getTime() <= Date.now()) throw new ValidationProblem([{ field: 'holdExpiresAt', messages: ['holdExpiresAt must be in the future'] }]);
    return at;
  }

  async schedule(organizationId: string, bookingId: string, at: Date): Promise<void> {
    const data: HoldExpiryData = { organizationId, bookingId };
    await this.queue.sendAfter(HOLD_EXPIRY_QUEUE, data, at);
  }

  private async handle(data: HoldExpiryData): Promise<void> {
    try {
      const notYet = await this.context.runForTenant(data.organizationId, () => this.release(data.bookingId));
      // Due early by the job queue's clock (another server's than the studio's): come back at the expiry.
      if (notYet) await this.schedule(data.organizationId, data.bookingId, notYet);
    } catch (err) {
      this.logger.error({ tenantId: data.organizationId, bookingId: data.bookingId, err: String(err) }, 'Hold expiry failed (will retry)');
      throw err;
    }
  }

  /** Releases the hold if it is still one and has expired; returns its expiry when that is still ahead. */
  async release(bookingId: string): Promise<Date | null> {
    return this.tenant.transaction(async (m) => {
      const result = (await m.query(
        `UPDATE bookings SET status = 'cancelled', cancellation_reason = 'hold_expired', updated_at = GREATEST(clock_timestamp(), updated_at)
          WHERE id = $1 AND status = 'hold' AND hold_expires_at <= clock_timestamp() RETURNING id`,
        [bookingId],
      )) as [Array<{ id: string }>, number];
      if (result[1] > 0) {
        await this.audit.record(m, { action: 'booking.hold_expired', targetType: 'booking', targetId: bookingId, details: { releasedBy: 'job' } }, HOLD_EXPIRY_ACTOR);
        await recordEvent(m, { type: 'booking.hold_expired', subjectType: 'booking', subjectId: bookingId }); // issue 13
        this.logger.log({ tenantId: this.tenant.tenantId, bookingId }, 'Hold released at its expiry');
        return null;
      }
      const [pending] = (await m.query(`SELECT hold_expires_at FROM bookings WHERE id = $1 AND status = 'hold'`, [bookingId])) as Array<{ hold_expires_at: Date }>;
      return pending ? new Date(pending.hold_expires_at) : null;
    });
  }
}
