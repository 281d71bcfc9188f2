import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { DataSource, EntityManager } from 'typeorm';
import { RequestContext } from '../common/request-context.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { StudioSweep } from '../jobs/studio-sweep.service.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { EventMails } from './event-mails.js';
import { MailDeliveries } from './mail-deliveries.service.js';
import { queueMail } from './mail-queue.js';
import { reminderMail } from './mail-texts.js';
import { activeStudioIds } from '../control/active-studios.js';

interface UpcomingBooking {
  id: string;
  title: string;
  starts_at: Date;
  ends_at: Date;
  access_code: string;
  room_name: string;
  client_name: string;
  client_email: string | null;
  engineer_ids: string[];
}

/**
 * The reminder due for a session `minutesAhead` from now: the smallest configured offset already reached
 * (a booking made 1 h ahead gets only the last reminder, not a stale "24 h" one). Null when none is reached.
 */
export function dueOffset(offsets: number[], minutesAhead: number): number | null {
  const reached = offsets.filter((o) => minutesAhead <= o);
  return reached.length ? Math.min(...reached) : null;
}

/**
 * Issue 13, mailnotify: reminders before a session, to the client (its record's email) and the assigned
 * engineers, at the studio's offsets (studio_settings.reminder_offsets_minutes; 24 h and 2 h by default);
 * the last one (smallest offset) carries the access code.
 *
 * In the per-minute StudioSweep (one run at a time across instances), for each studio whose next reminder
 * is due (its hint; a dispatched booking event wakes the studio), its confirmed upcoming bookings are read,
 * and the due reminder is QUEUED in one tenant transaction (mail_deliveries, dedupe key per booking × start × offset × recipient): a sweep run twice, or two at
 * once, queues it once (the unique key; the second insert waits for the first to commit, then does
 * nothing). The key holds the booking's start, so a moved booking gets reminders for its new time, and the
 * delivery worker re-checks the booking when it sends: cancelled or moved since → skipped, never sent.
 */
@Injectable()
export class BookingReminders implements OnModuleDestroy {
  private readonly logger = new Logger('BookingReminders');
  private stopped = false;

  constructor(
    sweeps: StudioSweep,
    private readonly context: RequestContext,
    private readonly tenant: TenantConnection,
    private readonly eventMails: EventMails,
    private readonly deliveries: MailDeliveries,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {
    sweeps.register({
      name: 'reminders',
      stage: 1,
      visit: async (tenantId) => {
        await this.plan(tenantId);
      },
      nextDueAt: (m, since) => this.nextReminderAt(m, since),
      // A booking created, moved, confirmed or cancelled: its reminders may be due sooner than the studio's hint.
      wakesOn: (eventType) => eventType.startsWith('booking.'),
    });
  }

  onModuleDestroy(): void {
    this.stopped = true;
  }

  /** Plans every studio's reminders (tests; the schedule visits only the studios with one due: StudioSweep). */
  async sweep(): Promise<void> {
    const studios = await activeStudioIds(this.control);
    for (const tenantId of studios) {
      if (this.stopped) return;
      await this.plan(tenantId).catch((err: unknown) => this.logger.warn({ tenantId, err: String(err) }, 'Reminder planning failed (next sweep retries)'));
    }
  }

  /** Queues one studio's due reminders; returns how many messages were queued. */
  async plan(tenantId: string, now = new Date()): Promise<number> {
    const [studio] = (await this.control.query(`SELECT name FROM organizations WHERE id = $1`, [tenantId])) as Array<{ name: string }>;
    const members = new Map(
      ((await this.control.query(`SELECT u.id, u.name, u.email FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.organization_id = $1`, [tenantId])) as Array<{ id: string; name: string; email: string }>).map((u) => [u.id, u]),
    );
    const queued = await this.context.runForTenant(tenantId, () => this.tenant.transaction((m) => this.planIn(m, studio?.name ?? 'Your studio', members, now)));
    if (queued) this.deliveries.kick(tenantId);
    return queued;
  }

  /**
   * When the current studio's next reminder falls due: a confirmed booking's start less an offset, after
   * `since` — the start of the visit, which planned everything due by then (`plan` reads the clock later).
   */
  private async nextReminderAt(m: EntityManager, since: Date): Promise<Date | null> {
    const [row] = (await m.query(
      `SELECT min(b.starts_at - make_interval(mins => o.minutes)) AS due
         FROM studio_settings s CROSS JOIN LATERAL unnest(s.reminder_offsets_minutes) AS o(minutes)
         JOIN bookings b ON b.status = 'confirmed' AND b.starts_at > $1 AND b.starts_at - make_interval(mins => o.minutes) > $1
        WHERE s.id = 1`,
      [since],
    )) as Array<{ due: Date | null }>;
    return row?.due ?? null;
  }

  private async planIn(m: EntityManager, studioName: string, members: Map<string, { name: string; email: string }>, now: Date): Promise<number> {
    const [settings] = (await m.query(`SELECT time_zone, reminder_offsets_minutes FROM studio_settings WHERE id = 1`)) as Array<{ time_zone: string; reminder_offsets_minutes: number[] }>;
    const offsets = settings.reminder_offsets_minutes;
    if (!offsets.length) return 0;
    const upcoming = (await m.query(
      `SELECT b.id, b.title, b.starts_at, b.ends_at, b.access_code, r.name AS room_name, c.name AS client_name, c.email AS client_email,
              COALESCE(array_agg(be.user_id::text) FILTER (WHERE be.user_id IS NOT NULL), '{}') AS engineer_ids
         FROM bookings b JOIN rooms r ON r.id = b.room_id JOIN clients c ON c.id = b.client_id
         LEFT JOIN booking_engineers be ON be.booking_id = b.id
        WHERE b.status = 'confirmed' AND b.starts_at > $1 AND b.starts_at <= $1::timestamptz + make_interval(mins => $2)
        GROUP BY b.id, r.name, c.name, c.email`,
      [now, Math.max(...offsets)],
    )) as UpcomingBooking[];
    const last = Math.min(...offsets);
    let queued = 0;
    for (const b of upcoming) {
      const startsAt = new Date(b.starts_at);
      const offset = dueOffset(offsets, (startsAt.getTime() - now.getTime()) / 60_000);
      if (offset === null) continue;
      // A reminder at this offset or a later (smaller) one already went out for this start: nothing more to say.
      const [done] = (await m.query(`SELECT 1 FROM mail_deliveries WHERE booking_id = $1 AND booking_starts_at = $2 AND reminder_offset_minutes <= $3 LIMIT 1`, [b.id, startsAt, offset])) as unknown[];
      if (done) continue;
      const session = { title: b.title, roomName: b.room_name, startsAt, endsAt: new Date(b.ends_at) };
      const accessCode = offset === last ? b.access_code : null;
      const recipients = [
        ...(b.client_email ? [{ name: b.client_name, email: b.client_email, link: undefined }] : []),
        ...b.engineer_ids.flatMap((id) => {
          const u = members.get(id);
          return u ? [{ name: u.name, email: u.email, link: `${this.eventMails.appOrigin}/calendar` }] : [];
        }),
      ];
      for (const r of recipients) {
        const mail = reminderMail({ name: r.name, studioName, timeZone: settings.time_zone, session, accessCode, link: r.link });
        const dedupeKey = `reminder:${b.id}:${startsAt.toISOString()}:${offset}:${r.email.toLowerCase()}`;
        const reminder = { bookingId: b.id, startsAt, offsetMinutes: offset };
        if (await queueMail(m, { dedupeKey, kind: 'booking-reminder', to: r.email, senderName: studioName, mail, reminder })) queued++;
      }
    }
    return queued;
  }
}
