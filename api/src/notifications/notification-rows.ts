import type { NotificationDto } from './dto/notification.dto.js';
import type { PortalNotificationDto } from './dto/portal-notification.dto.js';

/**
 * The columns every notification read selects (the id as text: a bigint survives JSON). Order by `notifications.id`,
 * never `id`: that would name this text column, and "100" sorts before "99".
 */
export const NOTIFICATION_COLUMNS = `id::text AS id, type, category, title, body, payload, subject_type, subject_id, actor_id, created_at, read_at`;

export interface NotificationRow {
  id: string;
  type: string;
  category: string;
  title: string;
  body: string | null;
  payload: Record<string, unknown>;
  subject_type: string;
  subject_id: string;
  actor_id: string | null;
  created_at: Date;
  read_at: Date | null;
}

export function toNotificationDto(r: NotificationRow): NotificationDto {
  return {
    id: r.id,
    type: r.type,
    category: r.category as NotificationDto['category'],
    title: r.title,
    body: r.body,
    payload: r.payload,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    actorId: r.actor_id,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}

/** Issue 13, board: the same for a client portal account's notifications (no category, no actor: a client sees neither). */
export const PORTAL_NOTIFICATION_COLUMNS = `id::text AS id, type, title, body, payload, subject_type, subject_id, created_at, read_at`;

export type PortalNotificationRow = Omit<NotificationRow, 'category' | 'actor_id'>;

export function toPortalNotificationDto(r: PortalNotificationRow): PortalNotificationDto {
  return {
    id: r.id,
    type: r.type,
    title: r.title,
    body: r.body,
    payload: r.payload,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    createdAt: new Date(r.created_at).toISOString(),
    readAt: r.read_at ? new Date(r.read_at).toISOString() : null,
  };
}
