import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { clientHearsOfBookingEvent, type OutboxRow } from '../notifications/notification-rules.js';
import { bookingIcs } from './booking-ics.js';
import { queueMail } from './mail-queue.js';
import { bookingMail, notificationMail, type SessionFacts } from './mail-texts.js';

/** A staff member who chose email (or both) for the category of an event. */
export interface EmailRecipient {
  userId: string;
  email: string;
  eventId: string;
  title: string;
  body: string | null;
}

interface BookingRow {
  id: string;
  title: string;
  status: string;
  starts_at: Date;
  ends_at: Date;
  room_name: string;
  client_name: string;
  client_email: string | null;
}

/**
 * Issue 13, mailnotify: decides the emails an outbox batch causes and queues them (mail_deliveries) in the
 * dispatcher's transaction, the one that marks the events dispatched: they are queued exactly when the
 * events are dispatched, once (and the dedupe keys would refuse a second time anyway). Sending is
 * MailDeliveries' job, after the commit.
 *
 * Booking mails go to the client record's email (the studio's contact for the client: always there
 * for a client without portal accounts, and the address the studio already sends invoices to):
 *  - `booking.created` as confirmed, `booking.confirmed` (a hold confirmed): confirmation, .ics METHOD:REQUEST;
 *  - `booking.series_created`: one confirmation for the confirmed occurrences, one VEVENT each;
 *  - `booking.changed` of a confirmed booking whose time or room moved: change, METHOD:REQUEST (same UID);
 *  - `booking.cancelled` of a booking that was confirmed: cancellation, METHOD:CANCEL.
 * Holds never mail the client (neither their creation, change, cancellation nor expiry).
 */
@Injectable()
export class EventMails {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Where links in background mail point: PUBLIC_URL (required in production), else this instance. */
  get appOrigin(): string {
    return this.config.signup.publicUrl ?? `http://localhost:${this.config.port}`;
  }

  /** Queues the batch's emails; returns how many were queued. */
  async plan(m: EntityManager, studioName: string, events: OutboxRow[], recipients: EmailRecipient[]): Promise<number> {
    let queued = 0;
    for (const r of recipients) {
      const mail = notificationMail({ title: r.title, body: r.body, link: `${this.appOrigin}/notifications`, studioName });
      if (await queueMail(m, { dedupeKey: `notify:${r.eventId}:${r.userId}`, kind: 'notification', to: r.email, senderName: studioName, mail })) queued++;
    }
    const bookingEvents = events.filter((e) => e.type.startsWith('booking.'));
    if (!bookingEvents.length) return queued;
    const [{ time_zone: timeZone }] = (await m.query(`SELECT time_zone FROM studio_settings WHERE id = 1`)) as Array<{ time_zone: string }>;
    for (const e of bookingEvents) if (await this.bookingMail(m, e, studioName, timeZone)) queued++;
    return queued;
  }

  private async bookingMail(m: EntityManager, e: OutboxRow, studioName: string, timeZone: string): Promise<boolean> {
    const kind = this.clientMailKind(e);
    if (!kind) return false;
    const bookings = await this.bookings(m, e);
    const concerned = kind === 'booking-cancelled' ? bookings : bookings.filter((b) => b.status === 'confirmed');
    const client = concerned[0];
    if (!client?.client_email) return false;
    const sessions: SessionFacts[] = concerned.map((b) => ({ title: b.title, roomName: b.room_name, startsAt: new Date(b.starts_at), endsAt: new Date(b.ends_at) }));
    const mail = bookingMail(kind, { clientName: client.client_name, studioName, timeZone, sessions, reason: kind === 'booking-cancelled' ? ((e.payload.reason as string | null) ?? null) : null });
    const ics = bookingIcs({
      method: kind === 'booking-cancelled' ? 'CANCEL' : 'REQUEST',
      sequence: Number(e.id),
      host: new URL(this.appOrigin).hostname,
      studioName,
      organizerEmail: this.config.mail.from,
      attendee: { name: client.client_name, email: client.client_email },
      bookings: concerned.map((b) => ({ id: b.id, title: b.title, roomName: b.room_name, startsAt: new Date(b.starts_at), endsAt: new Date(b.ends_at) })),
      stamp: new Date(),
    });
    const method = kind === 'booking-cancelled' ? 'CANCEL' : 'REQUEST';
    return queueMail(m, {
      dedupeKey: `booking:${e.id}`,
      kind,
      to: client.client_email,
      senderName: studioName,
      mail,
      attachments: [{ filename: kind === 'booking-cancelled' ? 'cancel.ics' : 'invite.ics', contentType: `text/calendar; charset=utf-8; method=${method}`, content: ics }],
    });
  }

  /** Which client mail an event is, if any (holds and studio-only changes: none; notification-rules.ts decides). */
  private clientMailKind(e: OutboxRow): 'booking-confirmed' | 'booking-changed' | 'booking-cancelled' | null {
    if (!clientHearsOfBookingEvent(e)) return null;
    switch (e.type) {
      case 'booking.created':
      case 'booking.series_created':
      case 'booking.confirmed':
        return 'booking-confirmed';
      case 'booking.changed':
        return 'booking-changed';
      case 'booking.cancelled':
        return 'booking-cancelled';
      default:
        return null;
    }
  }

  /** The booking (or the series' bookings) as they are now, with the client's contact and the room. */
  private async bookings(m: EntityManager, e: OutboxRow): Promise<BookingRow[]> {
    const where = e.type === 'booking.series_created' ? 'b.series_id = $1' : 'b.id = $1';
    return (await m.query(
      `SELECT b.id, b.title, b.status, b.starts_at, b.ends_at, r.name AS room_name, c.name AS client_name, c.email AS client_email
         FROM bookings b JOIN rooms r ON r.id = b.room_id JOIN clients c ON c.id = b.client_id
        WHERE ${where} ORDER BY b.starts_at`,
      [e.subject_id],
    )) as BookingRow[];
  }
}
