import type { EntityManager } from 'typeorm';
import { clientHearsOfBookingEvent, type OutboxRow } from './notification-rules.js';

/**
 * Issue 13 (board helper): which events a client's portal accounts hear of, and what of them they see. Only
 * events about something of theirs that the studio has shown them (a booking, a sent invoice or quote, a new
 * version of their project to review); never the studio's internal events (holds, drafts, payments recorded
 * by staff, members). `subject` says how the event's subject leads to its client (clientOfSubjects below).
 */
interface PortalRule {
  subject: 'booking' | 'invoice' | 'quote' | 'deliverable_version';
  title: (p: Record<string, unknown>) => string;
  /** The payload fields a client may see (staff payloads carry e.g. recipients' addresses and field lists). */
  keep: readonly string[];
}

const text = (v: unknown) => (typeof v === 'string' ? v : '');
const BOOKING_FIELDS = ['title', 'startsAt', 'endsAt'] as const;

export const PORTAL_RULES: Readonly<Record<string, PortalRule>> = {
  'booking.created': { subject: 'booking', title: (p) => `New session booked: ${text(p.title)}`, keep: BOOKING_FIELDS },
  'booking.confirmed': { subject: 'booking', title: (p) => `Session confirmed: ${text(p.title)}`, keep: BOOKING_FIELDS },
  'booking.changed': { subject: 'booking', title: (p) => `Session changed: ${text(p.title)}`, keep: BOOKING_FIELDS },
  'booking.cancelled': { subject: 'booking', title: (p) => `Session cancelled: ${text(p.title)}`, keep: BOOKING_FIELDS },
  'invoice.sent': { subject: 'invoice', title: (p) => `Invoice ${text(p.number)} sent to you`, keep: ['number'] },
  'quote.sent': { subject: 'quote', title: (p) => `Quote ${text(p.number)} sent to you`, keep: ['number'] },
  'version.uploaded': { subject: 'deliverable_version', title: () => 'A new version is ready for your review', keep: ['projectId', 'deliverableId', 'versionId', 'number'] },
};

/** The client each subject belongs to, per subject kind (one query per kind present in the batch). */
const CLIENT_OF: Record<PortalRule['subject'], string> = {
  booking: `SELECT id, client_id, status = 'hold' AS hold FROM bookings WHERE id = ANY($1::uuid[])`,
  invoice: `SELECT id, client_id FROM invoices WHERE id = ANY($1::uuid[])`,
  quote: `SELECT id, client_id FROM quotes WHERE id = ANY($1::uuid[])`,
  deliverable_version: `SELECT v.id, p.client_id FROM deliverable_versions v JOIN deliverables d ON d.id = v.deliverable_id JOIN projects p ON p.id = d.project_id WHERE v.id = ANY($1::uuid[])`,
};

/**
 * Writes the portal notifications of a batch of events, in the dispatcher's transaction (under its write
 * lock). Recipients: the enabled portal accounts of the event's client at dispatch time. Returns the highest
 * id written, or null.
 */
export async function writePortalNotifications(m: EntityManager, events: OutboxRow[]): Promise<string | null> {
  // A booking event reaches the client only as the booking mails do (no holds, no studio-only changes).
  const routed = events.filter((e) => PORTAL_RULES[e.type]?.subject === e.subject_type && (e.subject_type !== 'booking' || clientHearsOfBookingEvent(e)));
  if (!routed.length) return null;
  const clientOf = new Map<string, string>();
  const holds = new Set<string>(); // bookings still on hold: the client hears of them once confirmed
  for (const subject of new Set(routed.map((e) => PORTAL_RULES[e.type].subject))) {
    const ids = [...new Set(routed.filter((e) => PORTAL_RULES[e.type].subject === subject).map((e) => e.subject_id))];
    for (const r of (await m.query(CLIENT_OF[subject], [ids])) as Array<{ id: string; client_id: string; hold?: boolean }>) {
      clientOf.set(r.id, r.client_id);
      if (r.hold) holds.add(r.id);
    }
  }
  const clients = [...new Set(clientOf.values())];
  if (!clients.length) return null;
  const accounts = (await m.query(`SELECT id, client_id FROM client_portal_accounts WHERE client_id = ANY($1::uuid[]) AND disabled_at IS NULL`, [clients])) as Array<{ id: string; client_id: string }>;
  const rows: unknown[][] = [];
  for (const e of routed) {
    if (holds.has(e.subject_id)) continue;
    const rule = PORTAL_RULES[e.type];
    const clientId = clientOf.get(e.subject_id);
    const payload = Object.fromEntries(rule.keep.filter((k) => e.payload[k] !== undefined).map((k) => [k, e.payload[k]]));
    for (const account of accounts) {
      if (account.client_id !== clientId) continue;
      rows.push([account.id, e.id, e.type, rule.title(e.payload).slice(0, 200), JSON.stringify(payload), e.subject_type, e.subject_id]);
    }
  }
  if (!rows.length) return null;
  const values = rows.map((_, i) => `(${Array.from({ length: 7 }, (__, j) => `$${i * 7 + j + 1}`).join(', ')})`).join(', ');
  const inserted = (await m.query(
    `INSERT INTO portal_notifications (portal_account_id, event_id, type, title, payload, subject_type, subject_id) VALUES ${values}
     ON CONFLICT (event_id, portal_account_id) DO NOTHING RETURNING id::text AS id`,
    rows.flat(),
  )) as Array<{ id: string }>;
  return inserted.reduce<string | null>((max, r) => (max === null || BigInt(r.id) > BigInt(max) ? r.id : max), null);
}
