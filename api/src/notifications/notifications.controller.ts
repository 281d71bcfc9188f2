import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Inject, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCookieAuth, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiParam, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import type { Principal } from '../auth/auth.types.js';
import { CurrentPrincipal } from '../auth/current-principal.decorator.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { AnnouncementDto, NOTIFICATION_ID_PATTERN, NotificationListDto, NotificationPreferencesDto, ReadAllResultDto, UnreadCountDto } from './dto/notification.dto.js';
import { CreateAnnouncementDto, ListNotificationsQueryDto, StaffStreamQueryDto, UpdatePreferencesDto } from './dto/notification-input.dto.js';
import { validNotificationId } from './notification-mailbox.js';
import { NotificationStreams } from './notification-streams.service.js';
import { NotificationsService } from './notifications.service.js';
import { SseStream } from './sse-stream.js';


// Issue 13: everyone reads their own notifications; admins and owners announce to the whole studio.
@ApiTags('notifications')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly streams: NotificationStreams,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('stream')
  @Access('viewer', { sessionOnly: true })
  @ApiOperation({
    summary: 'Your notifications as Server-Sent Events (staff session)',
    description:
      'Each event: `id:` the notification id (increasing within the studio), `event:` its type, `data:` the notification as JSON. ' +
      'Reconnect with `Last-Event-ID` (or `?lastEventId=`) to get what you missed, in order; without it the stream starts with what comes next. ' +
      'A `: keep-alive` comment every SSE_KEEPALIVE_SECONDS; `event: session-ended` then the end of the stream when the session is over. ' +
      'With `?board=true`, also `event: board.changed` (no `id:`, data `{ roomId, bookingId, type }`) when a booking changes: re-fetch GET /api/v1/rooms/board. ' +
      'At most SSE_MAX_STREAMS_PER_USER open at once (429 beyond). See docs/notifications.md.',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({ description: 'An event stream (text/event-stream) that stays open', content: { 'text/event-stream': { schema: { type: 'string', maxLength: 0 } } } })
  @ApiProblems(400, 429)
  async streamNotifications(
    @Query() query: StaffStreamQueryDto,
    @Headers('last-event-id') lastEventIdHeader: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const lastEventId = lastEventIdHeader !== undefined ? validNotificationId('Last-Event-ID', lastEventIdHeader.trim()) : query.lastEventId;
    const ticket = this.streams.reserve({ tenantId: principal.organizationId, userId: principal.userId, sessionId: principal.sessionId, kind: 'staff' });
    try {
      const start = await this.streams.startingPoint(ticket.owner, lastEventId, { board: query.board === 'true' });
      reply.hijack(); // from here the response is the stream's, not Fastify's
      const sse = SseStream.open(reply.raw, { retryMs: this.config.sse.retryMs, extraHeaders: reply.getHeaders() });
      this.streams.attach(ticket, sse, start);
    } catch (err) {
      ticket.release();
      throw err;
    }
  }

  @Get()
  @Access('viewer')
  @ApiOperation({ summary: 'Your notifications, newest first', description: 'For clients that cannot hold a stream: pass the newest id you have as `since`. `nextCursor` pages back in time.' })
  @ApiOkResponse({ type: NotificationListDto })
  @ApiProblems(400)
  listNotifications(@Query() query: ListNotificationsQueryDto): Promise<NotificationListDto> {
    return this.notifications.list(query);
  }

  @Get('unread-count')
  @Access('viewer')
  @ApiOperation({ summary: 'How many of your notifications are unread', description: 'The number on the bell. A stream client keeps it current from the events it receives.' })
  @ApiOkResponse({ type: UnreadCountDto })
  unreadNotificationCount(): Promise<UnreadCountDto> {
    return this.notifications.unreadCount();
  }

  @Post('read-all')
  @Access('viewer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Mark all your notifications read', description: 'Only yours, only what exists now: a notification arriving afterwards is unread. Answers how many were marked.' })
  @ApiOkResponse({ type: ReadAllResultDto })
  readAllNotifications(): Promise<ReadAllResultDto> {
    return this.notifications.readAll();
  }

  @Get('preferences')
  @Access('viewer')
  @ApiOperation({ summary: 'How you are told of each category (in the app, by email, both or not at all)', description: 'Every category, with its default where you set none.' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  getNotificationPreferences(): Promise<NotificationPreferencesDto> {
    return this.notifications.preferences();
  }

  @Put('preferences')
  @Access('viewer')
  @ApiOperation({ summary: 'Change how you are told of some categories', description: 'The categories sent change; the others keep theirs. Applies to notifications dispatched from now on.' })
  @ApiOkResponse({ type: NotificationPreferencesDto })
  @ApiProblems(400)
  updateNotificationPreferences(@Body() dto: UpdatePreferencesDto): Promise<NotificationPreferencesDto> {
    return this.notifications.updatePreferences(dto);
  }

  @Post(':notificationId/read')
  @Access('viewer')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Mark one of your notifications read', description: 'Marking it again changes nothing. Another user\'s notification is a 404.' })
  @ApiParam({ name: 'notificationId', schema: { type: 'string', pattern: NOTIFICATION_ID_PATTERN, maxLength: 18 }, description: 'A notification id (not a UUID: the stream\'s increasing event id)' })
  @ApiNoContentResponse({ description: 'Read' })
  @ApiProblems(400, 404)
  readNotification(@Param('notificationId') id: string): Promise<void> {
    return this.notifications.markRead(validNotificationId('notificationId', id));
  }

  @Post()
  @Access('admin')
  @HttpCode(HttpStatus.ACCEPTED)
  @ApiOperation({ summary: 'Announce something to every member of the studio', description: 'Recorded as an event; every member (you included) gets it as a notification within moments.' })
  @ApiAcceptedResponse({ type: AnnouncementDto })
  @ApiProblems(400)
  createAnnouncement(@Body() dto: CreateAnnouncementDto): Promise<AnnouncementDto> {
    return this.notifications.announce(dto);
  }
}
