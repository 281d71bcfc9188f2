import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';

export interface IcsBooking {
  id: string;
  title: string;
  roomName: string;
  startsAt: Date;
  endsAt: Date;
}

/**
 * Issue 13, mailnotify: the .ics attached to a booking mail (RFC 5545 + iTIP, RFC 5546). One VEVENT per
 * booking, its UID stable (`<booking id>@<host>`), so a calendar updates the entry it already has instead of
 * adding one; SEQUENCE is the id of the outbox event the mail comes from, which only grows for a booking
 * (ids are per studio and increasing), so a later mail always supersedes an earlier one even if they
 * arrive out of order. METHOD:REQUEST for a confirmation or change, METHOD:CANCEL (STATUS:CANCELLED) for a
 * cancellation. Times are UTC instants (…Z): exact without a VTIMEZONE.
 */
export function bookingIcs(options: {
  method: 'REQUEST' | 'CANCEL';
  sequence: number;
  host: string;
  studioName: string;
  organizerEmail: string;
  attendee: { name: string; email: string };
  bookings: IcsBooking[];
  stamp: Date;
}): string {
  const calendar = ical({
    name: options.studioName,
    prodId: { company: 'Recording Studio Manager', product: 'booking-mail', language: 'EN' },
    method: options.method === 'CANCEL' ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  for (const b of options.bookings) {
    calendar.createEvent({
      id: `${b.id}@${options.host}`,
      sequence: options.sequence,
      start: b.startsAt,
      end: b.endsAt,
      stamp: options.stamp,
      summary: `${b.title} (${options.studioName})`,
      location: `${options.studioName}, ${b.roomName}`,
      status: options.method === 'CANCEL' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      organizer: { name: options.studioName, email: options.organizerEmail },
      attendees: [{ name: options.attendee.name, email: options.attendee.email, rsvp: false }],
    });
  }
  return calendar.toString();
}
