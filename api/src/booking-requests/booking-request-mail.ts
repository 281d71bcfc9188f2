import { Inject, Injectable, Logger } from '@nestjs/common';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { MailOutbox, mailErrorForLog } from '../mail/mail-outbox.service.js';

/** What the client is told once staff decide (read in the decision's transaction, sent after it commits). */
export interface DecisionNotice {
  organizationId: string;
  requestId: string;
  /** The contact who asked, when their account is still there and enabled. */
  to: string | null;
  timeZone: string;
  outcome: { approved: { startsAt: Date; endsAt: Date; roomName: string; hold: boolean } } | { declined: { reason: string } };
  /**
   * A confirmed booking for a contact whose address is the client's own: the booking confirmation (with its
   * .ics, queued with the booking's event: notification-mail/event-mails.ts) already tells them, once.
   */
  coveredByBookingMail: boolean;
}

/**
 * Issue 12, booking requests: the email to the client's portal contact when staff approve or decline.
 * Sent after the decision commits (a mail server that is down must not undo a booking); a failed send is
 * logged and reported as `clientNotified: false`, the decision stands.
 */
@Injectable()
export class BookingRequestMail {
  private readonly logger = new Logger(BookingRequestMail.name);

  constructor(
    private readonly mail: MailOutbox,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  async send(notice: DecisionNotice, publicUrl: string): Promise<boolean> {
    if (notice.coveredByBookingMail) return true;
    if (!notice.to) return false;
    const [studio] = (await this.control.query(`SELECT name, slug FROM organizations WHERE id = $1`, [notice.organizationId])) as Array<{ name: string; slug: string }>;
    const link = `${publicUrl}/portal/${studio.slug}/${'approved' in notice.outcome ? 'sessions' : 'requests'}`;
    const when = (d: Date) => DateTime.fromJSDate(d, { zone: notice.timeZone }).toFormat("cccc d LLLL yyyy, HH:mm");
    let subject: string;
    let body: string[];
    if ('approved' in notice.outcome) {
      const { startsAt, endsAt, roomName, hold } = notice.outcome.approved;
      subject = hold ? `${studio.name} is holding your session` : `Your session at ${studio.name} is booked`;
      body = [
        hold ? `${studio.name} has pencilled in your session (a hold: they will confirm it).` : `${studio.name} has booked your session.`,
        `${when(startsAt)} – ${DateTime.fromJSDate(endsAt, { zone: notice.timeZone }).toFormat('HH:mm')} (${notice.timeZone}), ${roomName}.`,
        `Your sessions, and the door code once it is released: ${link}`,
      ];
    } else {
      subject = `Your session request at ${studio.name}`;
      body = [`${studio.name} could not book the session you asked for.`, `Their reason: ${notice.outcome.declined.reason}`, `Ask for another time: ${link}`];
    }
    try {
      await this.mail.send({ to: notice.to, subject, text: body.join('\n\n'), kind: 'booking-request-decision', senderName: studio.name });
      return true;
    } catch (err) {
      this.logger.warn({ bookingRequestId: notice.requestId, mailError: mailErrorForLog(err, false) }, 'Booking request decision mail not sent');
      return false;
    }
  }
}
