import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AuditLog } from '../audit/audit-log.service.js';
import { RequestContext } from '../common/request-context.js';
import { recordEvent } from '../outbox/record-event.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { AnnouncementDto, NotificationListDto, NotificationPreferencesDto, ReadAllResultDto, UnreadCountDto } from './dto/notification.dto.js';
import type { CreateAnnouncementDto, ListNotificationsQueryDto, UpdatePreferencesDto } from './dto/notification-input.dto.js';
import { DEFAULT_CHANNEL, NOTIFICATION_CATEGORIES, type NotificationChannel } from './notification-preference.entity.js';
import { listMailbox, markRead, readAll, STAFF_MAILBOX, unreadCount } from './notification-mailbox.js';

/**
 * Issue 13: the caller's own notification centre (list, unread count, mark read, preferences) and admin
 * announcements. Every read and write is scoped to the caller (`recipient_user_id`), in the caller's studio
 * (TenantConnection): another user's notification is a 404 like one that does not exist.
 */
@Injectable()
export class NotificationsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly context: RequestContext,
    private readonly audit: AuditLog,
  ) {}

  private get userId(): string {
    const caller = this.context.principal();
    if (!caller) throw new Error('Notifications need an authenticated caller');
    return caller.userId;
  }

  /** Newest first, keyset paged by id; `since`: only newer than that id; `unread`: unread only. */
  async list(query: ListNotificationsQueryDto): Promise<NotificationListDto> {
    return this.tenant.run((m) => listMailbox(m, STAFF_MAILBOX, this.userId, query));
  }

  async unreadCount(): Promise<UnreadCountDto> {
    return this.tenant.run((m) => unreadCount(m, STAFF_MAILBOX, this.userId));
  }

  /** Idempotent: a notification already read keeps its first read time. */
  async markRead(id: string): Promise<void> {
    await this.tenant.run((m) => markRead(m, STAFF_MAILBOX, this.userId, id));
  }

  async readAll(): Promise<ReadAllResultDto> {
    return this.tenant.run((m) => readAll(m, STAFF_MAILBOX, this.userId));
  }

  async preferences(): Promise<NotificationPreferencesDto> {
    const rows = (await this.tenant.run((m) => m.query(`SELECT category, channel FROM notification_preferences WHERE user_id = $1`, [this.userId]))) as Array<{ category: string; channel: NotificationChannel }>;
    const chosen = new Map(rows.map((r) => [r.category, r.channel]));
    return { preferences: NOTIFICATION_CATEGORIES.map((category) => ({ category, channel: chosen.get(category) ?? DEFAULT_CHANNEL })) };
  }

  /** Upserts the categories given (one statement, so concurrent PUTs of different categories both stick). */
  async updatePreferences(dto: UpdatePreferencesDto): Promise<NotificationPreferencesDto> {
    const userId = this.userId;
    await this.tenant.transaction(async (m) => {
      for (const p of dto.preferences) {
        await m.query(
          `INSERT INTO notification_preferences (user_id, category, channel) VALUES ($1, $2, $3)
           ON CONFLICT (user_id, category) DO UPDATE SET channel = EXCLUDED.channel, updated_at = clock_timestamp()`,
          [userId, p.category, p.channel],
        );
      }
      await this.audit.record(m, { action: 'notification_preferences.updated', targetType: 'user', targetId: userId, details: { preferences: dto.preferences.map((p) => `${p.category}:${p.channel}`) } });
    });
    return this.preferences();
  }

  /** An announcement is an outbox event like any other: the dispatcher fans it out to every member, the caller included. */
  async announce(dto: CreateAnnouncementDto): Promise<AnnouncementDto> {
    const userId = this.userId;
    const id = randomUUID();
    return this.tenant.transaction(async (m) => {
      await recordEvent(m, { type: 'announcement', subjectType: 'announcement', subjectId: id, payload: { title: dto.title, body: dto.body ?? null }, actorId: userId });
      const [event] = (await m.query(`SELECT id::text AS id FROM outbox WHERE subject_id = $1`, [id])) as Array<{ id: string }>;
      await this.audit.record(m, { action: 'notification.announced', targetType: 'announcement', targetId: id, details: { title: dto.title } });
      return { eventId: event.id };
    });
  }
}
