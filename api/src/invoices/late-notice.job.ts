import { Inject, Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { Job } from 'pg-boss';
import { DataSource } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { BillingSettings } from '../billing-settings/billing-settings.entity.js';
import { RequestContext } from '../common/request-context.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { JobQueue } from '../jobs/job-queue.service.js';
import { MailOutbox } from '../mail/mail-outbox.service.js';
import { formatMinor } from '../money/money.js';
import { recordEvent } from '../outbox/record-event.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { studioSettings, todayIn } from './invoice-pricing.js';
import { activeStudioIds } from '../control/active-studios.js';

/** Once a day (UTC) one job fans out to one job per studio: a slow or failing studio never holds up another. */
export const LATE_NOTICES_QUEUE = 'invoice-late-notices';
export const LATE_NOTICES_STUDIO_QUEUE = 'invoice-late-notices-studio';
const DAILY_AT_SEVEN = '0 7 * * *';
const LATE_NOTICE_ACTOR = { type: 'system' as const, id: null, label: 'late notices' };

interface Candidate {
  id: string;
  number: string;
  currency: string;
  balance_minor: string;
  due_date: string;
  bill_to_email: string;
  bill_to_name: string;
  late_notices_sent: number;
}

/**
 * Late notices (issue 11): an issued invoice with a balance gets one email at each `lateNoticeDays`
 * offset after its due date (the studio's date). `late_notices_sent` counts the offsets already
 * noticed; it is raised by a conditional UPDATE in the same transaction as the outbox event and the
 * send, so a job run twice (or two instances) mails each offset once, and a failed send rolls the
 * claim back for the next run. Offsets missed while the job was down are covered by one notice.
 */
@Injectable()
export class LateNoticeJob {
  private readonly logger = new Logger('LateNotices');

  constructor(
    private readonly queue: JobQueue,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly mail: MailOutbox,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {
    queue.register({
      queue: { name: LATE_NOTICES_QUEUE, policy: 'exclusive', retryLimit: 2, retryDelay: 60, expireInSeconds: 600 },
      cron: DAILY_AT_SEVEN,
      handler: async () => {
        const studios = await activeStudioIds(this.control);
        for (const organizationId of studios) await this.queue.send(LATE_NOTICES_STUDIO_QUEUE, { organizationId });
      },
    });
    queue.register({
      queue: { name: LATE_NOTICES_STUDIO_QUEUE, policy: 'standard', retryLimit: 5, retryDelay: 300, retryBackoff: true, expireInSeconds: 900 },
      handler: async (jobs: Job<object>[]) => {
        for (const job of jobs) {
          const { organizationId } = job.data as { organizationId: string };
          await this.context.runForTenant(organizationId, () => this.sendDue());
        }
      },
    });
  }

  /** Sends the notices due today in the current tenant; returns how many were sent. */
  async sendDue(now = new Date()): Promise<number> {
    const { today, offsets, studioName } = await this.tenant.run(async (m) => {
      const billing = await m.getRepository(BillingSettings).findOneByOrFail({ id: 1 });
      return {
        today: todayIn((await studioSettings(m)).timeZone, now),
        offsets: [...new Set(billing.lateNoticeDays.filter((d) => d > 0))].sort((a, b) => a - b),
        studioName: billing.legalName,
      };
    });
    if (!offsets.length) return 0;
    const candidates = await this.tenant.run(
      (m) =>
        m.query(
          `SELECT id, number, currency, balance_minor, to_char(due_date, 'YYYY-MM-DD') AS due_date, bill_to_email, bill_to_name, late_notices_sent
             FROM invoices WHERE status IN ('sent', 'partially_paid') AND kind <> 'credit_note' AND balance_minor > 0
              AND due_date < $1 AND bill_to_email IS NOT NULL AND late_notices_sent < $2 ORDER BY due_date, id`,
          [today, offsets.length],
        ) as Promise<Candidate[]>,
    );
    let sent = 0;
    for (const invoice of candidates) {
      const daysLate = DateTime.fromISO(today).diff(DateTime.fromISO(invoice.due_date), 'days').days;
      const reached = offsets.filter((d) => d <= daysLate).length;
      if (reached <= invoice.late_notices_sent) continue;
      if (await this.notify(invoice, reached, daysLate, studioName)) sent++;
    }
    return sent;
  }

  private async notify(invoice: Candidate, reached: number, daysLate: number, studioName: string | null): Promise<boolean> {
    return this.tenant.transaction(async (m) => {
      const [rows] = (await m.query(
        `UPDATE invoices SET late_notices_sent = $2, last_late_notice_at = clock_timestamp()
          WHERE id = $1 AND late_notices_sent = $3 AND status IN ('sent', 'partially_paid') AND balance_minor > 0 RETURNING id`,
        [invoice.id, reached, invoice.late_notices_sent],
      )) as [Array<{ id: string }>, number];
      if (!rows.length) return false; // another run claimed it, or it was paid meanwhile
      const currency = invoice.currency.trim();
      const amount = `${formatMinor(Number(invoice.balance_minor), currency)} ${currency}`;
      await recordEvent(m, { type: 'invoice.late_notice', subjectType: 'invoice', subjectId: invoice.id, payload: { number: invoice.number, daysLate, notice: reached } });
      await this.audit.record(m, { action: 'invoice.late_notice_sent', targetType: 'invoice', targetId: invoice.id, details: { number: invoice.number, daysLate } }, LATE_NOTICE_ACTOR);
      await this.mail.send({
        to: invoice.bill_to_email,
        kind: 'late-notice',
        senderName: studioName ?? undefined,
        subject: `Reminder: invoice ${invoice.number} is overdue`,
        text:
          `Hello ${invoice.bill_to_name},\n\nInvoice ${invoice.number} was due on ${invoice.due_date} and ${amount} is still open ` +
          `(${daysLate} days late).\n\nPlease arrange payment, or tell us if it is already on its way.\n`,
      });
      this.logger.log({ tenantId: this.tenant.tenantId, invoiceId: invoice.id, daysLate }, 'Late notice sent');
      return true;
    });
  }
}
