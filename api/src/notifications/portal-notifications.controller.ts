import { Controller, Get, Headers, HttpCode, HttpStatus, Inject, Param, Post, Query, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { PortalAccess } from '../auth/access.decorator.js';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CurrentPortalPrincipal } from '../portal/current-portal-principal.decorator.js';
import { NOTIFICATION_ID_PATTERN, ReadAllResultDto, UnreadCountDto } from './dto/notification.dto.js';
import { ListNotificationsQueryDto, StreamQueryDto } from './dto/notification-input.dto.js';
import { PortalNotificationListDto } from './dto/portal-notification.dto.js';
import { listMailbox, markRead, PORTAL_MAILBOX, readAll, unreadCount, validNotificationId } from './notification-mailbox.js';
import { NotificationStreams } from './notification-streams.service.js';
import { SseStream } from './sse-stream.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';


/**
 * Issue 13 (board helper): the signed-in portal client's own notifications, as a stream and as a list —
 * the staff routes' rules (docs/notifications.md), over the portal cookie, on `portal_notifications` rows
 * addressed to this portal account only (another account's, even of the same client, is a 404).
 */
@ApiTags('portal')
@ApiCookieAuth('portal')
@PortalAccess()
@ApiProblems(401, 503)
@Controller('api/v1/portal/notifications')
export class PortalNotificationsController {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly streams: NotificationStreams,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('stream')
  @ApiOperation({
    summary: 'Your portal notifications as Server-Sent Events',
    description:
      'As the staff stream: `id:` (increasing), `event:` the type, `data:` the notification; `Last-Event-ID` (or `?lastEventId=`) replays what you missed; ' +
      'keep-alive comments; `event: session-ended` then the end after logout or when the account is disabled; at most SSE_MAX_STREAMS_PER_USER open (429).',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream (text/event-stream) that stays open', content: { 'text/event-stream': { schema: { type: 'string', maxLength: 0 } } } })
  @ApiProblems(400, 429)
  async streamPortalNotifications(
    @Query() query: StreamQueryDto,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @CurrentPortalPrincipal() principal: PortalPrincipal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const lastEventId = lastEventIdHeader !== undefined ? validNotificationId('Last-Event-ID', lastEventIdHeader.trim()) : query.lastEventId;
    const ticket = this.streams.reserve({ tenantId: principal.organizationId, userId: principal.accountId, sessionId: principal.sessionId, kind: 'portal' });
    try {
      const start = await this.streams.startingPoint(ticket.owner, lastEventId);
      reply.hijack(); // from here the response is the stream's, not Fastify's
      const sse = SseStream.open(reply.raw, { retryMs: this.config.sse.retryMs, extraHeaders: reply.getHeaders() });
      this.streams.attach(ticket, sse, start);
    } catch (err) {
      ticket.release();
      throw err;
    }
  }

  @Get()
  @ApiOperation({ summary: 'Your portal notifications, newest first', description: 'Pass the newest id you have as `since` to poll; `nextCursor` pages back in time; `unread=true` for unread only.' })
  @ApiOkResponse({ type: PortalNotificationListDto })
  @ApiProblems(400)
  listPortalNotifications(@CurrentPortalPrincipal() principal: PortalPrincipal, @Query() query: ListNotificationsQueryDto): Promise<PortalNotificationListDto> {
    return this.tenant.run((m) => listMailbox(m, PORTAL_MAILBOX, principal.accountId, query));
  }

  @Get('unread-count')
  @ApiOperation({ summary: 'How many of your portal notifications are unread', description: 'The number on the portal bell.' })
  @ApiOkResponse({ type: UnreadCountDto })
  portalUnreadNotificationCount(@CurrentPortalPrincipal() principal: PortalPrincipal): Promise<UnreadCountDto> {
    return this.tenant.run((m) => unreadCount(m, PORTAL_MAILBOX, principal.accountId));
  }

  @Post('read-all')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark all your portal notifications read', description: 'Only yours, only what exists now. Answers how many were marked.' })
  @ApiOkResponse({ type: ReadAllResultDto })
  readAllPortalNotifications(@CurrentPortalPrincipal() principal: PortalPrincipal): Promise<ReadAllResultDto> {
    return this.tenant.run((m) => readAll(m, PORTAL_MAILBOX, principal.accountId));
  }

  @Post(':notificationId/read')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Mark one of your portal notifications read', description: "Again changes nothing; another account's notification is a 404." })
  @ApiParam({ name: 'notificationId', schema: { type: 'string', pattern: NOTIFICATION_ID_PATTERN, maxLength: 18 }, description: "A portal notification id (the stream's increasing event id)" })
  @ApiNoContentResponse({ description: 'Read' })
  @ApiProblems(400, 404)
  async readPortalNotification(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('notificationId') id: string): Promise<void> {
    await this.tenant.run((m) => markRead(m, PORTAL_MAILBOX, principal.accountId, validNotificationId('notificationId', id)));
  }
}
