import { DateTime } from 'luxon';
import { layout, type RenderedMail } from '../mail/mail-templates.js';

/**
 * Issue 13, mailnotify: the texts of notification and booking emails. Short, English, built from
 * `layout` (mail-templates.ts) like every other mail; each is one function of plain values, so a
 * translated set can replace it later without touching who sends what.
 */

/** "Monday 7 January 2030, 10:00–12:00 (Europe/Paris)": in the studio's zone, where the session happens. */
export function sessionTime(startsAt: Date, endsAt: Date, timeZone: string): string {
  const start = DateTime.fromJSDate(startsAt, { zone: timeZone }).setLocale('en-GB');
  const end = DateTime.fromJSDate(endsAt, { zone: timeZone }).setLocale('en-GB');
  const endText = end.hasSame(start, 'day') ? end.toFormat('HH:mm') : end.toFormat('cccc d LLLL yyyy, HH:mm');
  return `${start.toFormat('cccc d LLLL yyyy, HH:mm')}–${endText} (${timeZone})`;
}

/** A staff member's copy of a notification, with a link to the notification centre. */
export function notificationMail(v: { title: string; body: string | null; link: string; studioName: string }): RenderedMail {
  return layout({
    subject: `${v.title} · ${v.studioName}`.slice(0, 300),
    intro: [v.title, ...(v.body ? [v.body] : [])],
    action: { label: 'Open in the app', url: v.link },
    outro: ['You receive this email because of your notification settings (Settings → Notifications).'],
    studioName: v.studioName,
  });
}

export interface SessionFacts {
  title: string;
  roomName: string;
  startsAt: Date;
  endsAt: Date;
}

type BookingMailKind = 'booking-confirmed' | 'booking-changed' | 'booking-cancelled';

/** To the client: a booking confirmed, moved or cancelled (the .ics rides along). */
export function bookingMail(kind: BookingMailKind, v: { clientName: string; studioName: string; timeZone: string; sessions: SessionFacts[]; reason?: string | null }): RenderedMail {
  const lines = v.sessions.map((s) => `${s.title}: ${sessionTime(s.startsAt, s.endsAt, v.timeZone)}, ${s.roomName}`);
  const what = v.sessions.length === 1 ? 'your session' : `your ${v.sessions.length} sessions`;
  const texts: Record<BookingMailKind, { subject: string; intro: string; outro: string }> = {
    'booking-confirmed': {
      subject: `Booking confirmed: ${v.sessions[0]?.title} at ${v.studioName}`,
      intro: `${v.studioName} confirmed ${what}:`,
      outro: 'The attached calendar file adds it to your calendar.',
    },
    'booking-changed': {
      subject: `Booking changed: ${v.sessions[0]?.title} at ${v.studioName}`,
      intro: `${v.studioName} changed ${what}. The new time and room:`,
      outro: 'The attached calendar file updates the entry in your calendar.',
    },
    'booking-cancelled': {
      subject: `Booking cancelled: ${v.sessions[0]?.title} at ${v.studioName}`,
      intro: `${v.studioName} cancelled ${what}:`,
      outro: 'The attached calendar file removes it from your calendar.',
    },
  };
  const t = texts[kind];
  return layout({
    subject: t.subject.slice(0, 300),
    intro: [`Hello ${v.clientName},`, t.intro, ...lines, ...(v.reason ? [`Reason: ${v.reason}`] : [])],
    outro: [t.outro],
    studioName: v.studioName,
  });
}

/** A reminder before a session; the last one (the smallest offset) carries the door's access code. */
export function reminderMail(v: { name: string; studioName: string; timeZone: string; session: SessionFacts; accessCode: string | null; link?: string }): RenderedMail {
  return layout({
    subject: `Reminder: ${v.session.title} at ${v.studioName}, ${DateTime.fromJSDate(v.session.startsAt, { zone: v.timeZone }).setLocale('en-GB').toFormat('ccc d LLL, HH:mm')}`.slice(0, 300),
    intro: [
      `Hello ${v.name},`,
      `A reminder of your session at ${v.studioName}: ${sessionTime(v.session.startsAt, v.session.endsAt, v.timeZone)}, ${v.session.roomName}.`,
      ...(v.accessCode ? [`Access code: ${v.accessCode}`] : []),
    ],
    ...(v.link ? { action: { label: 'Open the booking', url: v.link } } : {}),
    outro: [],
    studioName: v.studioName,
  });
}
