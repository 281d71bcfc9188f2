import { HttpStatus } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, invalidCursor } from '../common/pagination.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { NOTIFICATION_ID_PATTERN } from './dto/notification.dto.js';
import { NOTIFICATION_COLUMNS, type NotificationRow, PORTAL_NOTIFICATION_COLUMNS, type PortalNotificationRow, toNotificationDto, toPortalNotificationDto } from './notification-rows.js';

/**
 * Issue 13: where one kind of recipient's notifications live — staff users in `notifications`, client
 * portal accounts in `portal_notifications` (board helper). The REST routes and the streams of both read
 * through this, so "only my rows, in id order" is written once. Table and column names are constants here,
 * never input.
 */
export const STAFF_MAILBOX = { table: 'notifications', recipient: 'recipient_user_id', columns: NOTIFICATION_COLUMNS, toDto: (r: NotificationRow) => toNotificationDto(r) } as const;
export const PORTAL_MAILBOX = { table: 'portal_notifications', recipient: 'portal_account_id', columns: PORTAL_NOTIFICATION_COLUMNS, toDto: (r: PortalNotificationRow) => toPortalNotificationDto(r) } as const;

/** Either kind of recipient's mailbox. */
export type AnyMailbox = typeof STAFF_MAILBOX | typeof PORTAL_MAILBOX;
type Row<B> = B extends { toDto(row: infer R): unknown } ? R : never;
type DtoOf<B> = B extends { toDto(row: never): infer D } ? D : never;

const ID = new RegExp(NOTIFICATION_ID_PATTERN);

/** A notification id from the path or the Last-Event-ID header (a bigint as digits), or a 400 naming `field`. */
export function validNotificationId(field: string, value: string): string {
  if (!ID.test(value)) throw new ValidationProblem([{ field, messages: [`${field} must be a notification id`] }]);
  return value;
}

export const notificationNotFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No notification with this id for you.');

/** The recipient's rows after `after`, oldest first (the streams' read). */
export async function rowsAfter<B extends AnyMailbox>(m: EntityManager, box: B, recipientId: string, after: bigint, limit: number): Promise<Array<Row<B>>> {
  return (await m.query(`SELECT ${box.columns} FROM ${box.table} WHERE ${box.recipient} = $1 AND id > $2 ORDER BY ${box.table}.id LIMIT $3`, [recipientId, String(after), limit])) as Array<Row<B>>;
}

/** The recipient's newest id (0 when none): where a stream without Last-Event-ID starts. */
export async function newestId(m: EntityManager, box: AnyMailbox, recipientId: string): Promise<bigint> {
  const [row] = (await m.query(`SELECT COALESCE(max(id), 0)::text AS id FROM ${box.table} WHERE ${box.recipient} = $1`, [recipientId])) as Array<{ id: string }>;
  return BigInt(row.id);
}

/** Newest first, keyset paged by id; `since`: only newer than that id; `unread`: unread only. */
export async function listMailbox<B extends AnyMailbox>(
  m: EntityManager,
  box: B,
  recipientId: string,
  query: { since?: string; cursor?: string; unread?: 'true' | 'false'; limit?: number },
): Promise<{ items: Array<DtoOf<B>>; nextCursor: string | null }> {
  const limit = query.limit ?? DEFAULT_PAGE_SIZE;
  const before = query.cursor ? decodeIdCursor(query.cursor) : null;
  const rows = (await m.query(
    `SELECT ${box.columns} FROM ${box.table}
      WHERE ${box.recipient} = $1 AND ($2::bigint IS NULL OR id > $2) AND ($3::bigint IS NULL OR id < $3) AND (NOT $4 OR read_at IS NULL)
      ORDER BY ${box.table}.id DESC LIMIT $5`,
    [recipientId, query.since ?? null, before, query.unread === 'true', limit + 1],
  )) as Array<Row<B> & { id: string }>;
  const shown = rows.slice(0, limit);
  return { items: shown.map((r) => (box.toDto as (row: unknown) => DtoOf<B>)(r)), nextCursor: rows.length > limit ? encodeCursor([shown[shown.length - 1].id]) : null };
}

export async function unreadCount(m: EntityManager, box: AnyMailbox, recipientId: string): Promise<{ count: number }> {
  const [row] = (await m.query(`SELECT count(*)::int AS count FROM ${box.table} WHERE ${box.recipient} = $1 AND read_at IS NULL`, [recipientId])) as Array<{ count: number }>;
  return { count: row.count };
}

/** Idempotent: a notification already read keeps its first read time; someone else's is a 404. */
export async function markRead(m: EntityManager, box: AnyMailbox, recipientId: string, id: string): Promise<void> {
  const rows = (await m.query(`UPDATE ${box.table} SET read_at = COALESCE(read_at, clock_timestamp()) WHERE id = $1 AND ${box.recipient} = $2 RETURNING id`, [id, recipientId])) as [unknown[], number];
  if (!rows[1]) throw notificationNotFound();
}

export async function readAll(m: EntityManager, box: AnyMailbox, recipientId: string): Promise<{ marked: number }> {
  const result = (await m.query(`UPDATE ${box.table} SET read_at = clock_timestamp() WHERE ${box.recipient} = $1 AND read_at IS NULL`, [recipientId])) as [unknown[], number];
  return { marked: result[1] };
}

function decodeIdCursor(cursor: string): string {
  const [id] = decodeCursor(cursor, ['string']) as [string];
  if (!/^[0-9]{1,18}$/.test(id)) throw invalidCursor();
  return id;
}
