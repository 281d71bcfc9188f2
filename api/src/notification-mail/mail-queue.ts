import type { EntityManager } from 'typeorm';
import type { RenderedMail } from '../mail/mail-templates.js';
import type { StoredAttachment } from './mail-delivery.entity.js';

export interface QueuedMail {
  dedupeKey: string;
  kind: string;
  to: string;
  senderName: string;
  mail: RenderedMail;
  attachments?: StoredAttachment[];
  /** Reminders only: re-checked at send time. */
  reminder?: { bookingId: string; startsAt: Date; offsetMinutes: number };
}

/**
 * Queues a message in the caller's tenant transaction. The unique dedupe key makes a second attempt to
 * queue the same message (a sweep run twice, two instances at once) a no-op: returns whether this call queued it.
 */
export async function queueMail(m: EntityManager, q: QueuedMail): Promise<boolean> {
  const inserted = (await m.query(
    `INSERT INTO mail_deliveries (dedupe_key, kind, to_address, sender_name, subject, body_text, body_html, attachments, booking_id, booking_starts_at, reminder_offset_minutes)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
    [
      q.dedupeKey,
      q.kind,
      q.to,
      q.senderName,
      q.mail.subject,
      q.mail.text,
      q.mail.html,
      JSON.stringify(q.attachments ?? []),
      q.reminder?.bookingId ?? null,
      q.reminder?.startsAt ?? null,
      q.reminder?.offsetMinutes ?? null,
    ],
  )) as unknown[];
  return inserted.length > 0;
}
