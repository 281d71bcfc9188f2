import ical, { ICalEventStatus } from 'ical-generator';

export interface FeedEvent {
  id: string;
  title: string;
  roomName: string;
  status: string;
  startsAt: Date;
  endsAt: Date;
  updatedAt: Date;
}

/**
 * The feed as RFC 5545 text. Times are written as UTC instants (DTSTART:20300331T070000Z): valid without a
 * VTIMEZONE, and exact across DST changes whatever the subscriber's zone. X-WR-TIMEZONE names the studio's
 * zone as a display hint for clients that use it. DTSTAMP is the booking's last change, so the body (and
 * its ETag) only changes when a booking does. No client names or contact details: the URL is a bearer secret
 * that may end up in a shared calendar.
 */
export function renderFeed(options: { name: string; timeZone: string; host: string; withRoomInSummary: boolean; events: FeedEvent[] }): string {
  const calendar = ical({ name: options.name, prodId: { company: 'Recording Studio Manager', product: 'calendar-feed', language: 'EN' } });
  calendar.x('X-WR-TIMEZONE', options.timeZone);
  for (const e of options.events) {
    calendar.createEvent({
      id: `${e.id}@${options.host}`,
      start: e.startsAt,
      end: e.endsAt,
      stamp: e.updatedAt,
      lastModified: e.updatedAt,
      summary: options.withRoomInSummary ? `${e.title} (${e.roomName})` : e.title,
      location: e.roomName,
      status: e.status === 'hold' ? ICalEventStatus.TENTATIVE : ICalEventStatus.CONFIRMED,
    });
  }
  return calendar.toString();
}
