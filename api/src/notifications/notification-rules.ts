import type { Role } from '../control/membership.entity.js';
import type { NotificationCategory } from './notification-preference.entity.js';

/** An outbox row as the dispatcher reads it. */
export interface OutboxRow {
  id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  payload: Record<string, unknown>;
  actor_id: string | null;
}

/**
 * The booking fields whose change a client hears of (mail with .ics, portal notification): the time and the
 * room. A changed title, note or engineer is the studio's business.
 */
export const CLIENT_VISIBLE_BOOKING_FIELDS: readonly string[] = ['startsAt', 'endsAt', 'roomId'];

/**
 * Whether a booking event concerns the client at all: holds are the studio's pencil marks (never shown to the
 * client: not when made, moved or released), and a change only when its time or room changed.
 */
export function clientHearsOfBookingEvent(e: Pick<OutboxRow, 'type' | 'payload'>): boolean {
  switch (e.type) {
    case 'booking.created':
      return e.payload.status === 'confirmed';
    case 'booking.changed': {
      const fields = (e.payload.fields as string[] | undefined) ?? [];
      return fields.some((f) => CLIENT_VISIBLE_BOOKING_FIELDS.includes(f));
    }
    case 'booking.cancelled':
      return e.payload.previousStatus !== 'hold';
    case 'booking.confirmed':
    case 'booking.series_created':
      return true;
    default:
      return false; // hold expiry, check-in/out
  }
}

/**
 * Who hears of an event: members with one of `roles`, plus (`assigned`) the engineers assigned to the
 * booking it is about. The actor is never told of their own action.
 */
export interface Audience {
  category: NotificationCategory;
  roles: Role[];
  assigned?: boolean;
}

const MANAGERS: Role[] = ['admin', 'owner'];
const STAFF: Role[] = ['engineer', 'admin', 'owner'];
const EVERYONE: Role[] = ['viewer', 'engineer', 'admin', 'owner'];

/**
 * Issue 13: the routing table. Bookings reach the managers and the booking's own engineers; money reaches
 * the managers; reviews reach everyone who runs sessions (no per-project assignment exists yet);
 * announcements reach everyone. Types not listed reach the managers.
 */
export function audienceOf(type: string): Audience {
  if (type === 'announcement') return { category: 'announcements', roles: EVERYONE };
  if (type === 'booking.checked_in' || type === 'booking.checked_out') return { category: 'bookings', roles: [] }; // issue 13, board: for the room board only
  if (type.startsWith('booking.')) return { category: 'bookings', roles: MANAGERS, assigned: true };
  if (type.startsWith('booking_request.')) return { category: 'bookings', roles: MANAGERS }; // issue 12, bookreq: the portal's requests, for those who decide them
  if (type === 'member.joined') return { category: 'members', roles: MANAGERS };
  if (type.startsWith('version.') || type.startsWith('revision.')) return { category: 'reviews', roles: STAFF };
  return { category: 'money', roles: MANAGERS };
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');

/** The title and body shown in the centre: English and short, the web app may render its own from `type` and `payload`. */
export function describeEvent(e: OutboxRow): { title: string; body: string | null } {
  const p = e.payload;
  const when = text(p.startsAt) ? ` (${text(p.startsAt)})` : '';
  const titles: Record<string, string> = {
    'booking.created': `New booking: ${text(p.title)}`,
    'booking.series_created': `New recurring booking: ${text(p.title)}`,
    'booking.changed': `Booking changed: ${text(p.title)}`,
    'booking.confirmed': `Booking confirmed: ${text(p.title)}`,
    'booking.cancelled': `Booking cancelled: ${text(p.title)}`,
    'booking.hold_expired': 'A hold expired and was released',
    // Issue 12, bookreq.
    'booking_request.received': `New booking request from ${text(p.clientName)}`,
    'booking_request.approved': `Booking request approved: ${text(p.clientName)}`,
    'booking_request.declined': 'Booking request declined',
    'booking_request.withdrawn': 'A booking request was withdrawn',
    'member.joined': `${text(p.email)} joined the studio`,
    'quote.accepted': `Quote ${text(p.number)} accepted`,
    'quote.declined': `Quote ${text(p.number)} declined`,
    'quote.sent': `Quote ${text(p.number)} sent`,
    'invoice.sent': `Invoice ${text(p.number)} sent`,
    'invoice.paid': `Invoice ${text(p.number)} paid`,
    'invoice.finalized': `Invoice ${text(p.number)} issued`,
    'invoice.voided': `Invoice ${text(p.number)} voided`,
    'invoice.late_notice': `Invoice ${text(p.number)} is overdue`,
    'payment.recorded': 'Payment received',
    'version.uploaded': 'New version to review',
    'version.approved': 'Version approved',
    'version.changes_requested': 'Changes requested on a version',
    'revision.extra_round': 'An extra revision round was used',
    announcement: text(p.title),
    'webhook.endpoint_disabled': `Webhook endpoint ${text(p.url)} disabled after 3 days of failures`, // issue 13, webhooks
  };
  const title = (titles[e.type] || e.type).slice(0, 200);
  const body = e.type === 'announcement' ? text(p.body) || null : (e.type.startsWith('booking.') || e.type === 'booking_request.received') && when ? `Starts${when}` : null;
  return { title, body };
}
