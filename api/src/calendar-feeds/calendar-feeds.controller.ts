import { Controller, Delete, Get, Header, HttpCode, HttpStatus, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiParam, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { Public } from '../auth/public.decorator.js';
import { publicUrlOf } from '../auth/session-cookie.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CalendarFeedReader } from './calendar-feed-reader.service.js';
import { CalendarFeedsService } from './calendar-feeds.service.js';
import { CalendarFeedCreatedDto } from './dto/calendar-feed.dto.js';

const ROTATION = 'Creating a feed again revokes the previous URL (rotation). The URL is shown once: only a hash of its token is stored.';

// Issue 9 (booking-extras): secret ICS feed URLs. Admins manage every feed; an engineer their own.
@ApiTags('calendar-feeds')
@ApiProblems(401, 503)
@Controller('api/v1')
export class CalendarFeedsController {
  constructor(
    private readonly feeds: CalendarFeedsService,
    private readonly reader: CalendarFeedReader,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('rooms/:id/calendar-feed')
  @Access('admin')
  @ApiCookieAuth()
  @ApiOperation({ summary: "Create (or rotate) a room's ICS feed URL", description: ROTATION })
  @ApiCreatedResponse({ type: CalendarFeedCreatedDto })
  @ApiProblems(400, 403, 404)
  createRoomCalendarFeed(@Param('id', uuidParam) id: string, @Req() request: FastifyRequest): Promise<CalendarFeedCreatedDto> {
    return this.feeds.create('room', id, publicUrlOf(this.config, request));
  }

  @Delete('rooms/:id/calendar-feed')
  @Access('admin')
  @ApiCookieAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Revoke a room's ICS feed URL", description: 'Its URL answers 404 from now on; 404 when the room has no live feed.' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems(400, 403, 404)
  revokeRoomCalendarFeed(@Param('id', uuidParam) id: string): Promise<void> {
    return this.feeds.revoke('room', id);
  }

  @Post('engineers/:userId/calendar-feed')
  @Access('engineer')
  @ApiCookieAuth()
  @ApiOperation({ summary: "Create (or rotate) an engineer's ICS feed URL (their sessions in every room)", description: `An engineer may only do this for themselves (403 otherwise); admins for anyone. ${ROTATION}` })
  @ApiCreatedResponse({ type: CalendarFeedCreatedDto })
  @ApiProblems(400, 403, 404)
  createEngineerCalendarFeed(@Param('userId', uuidParam) userId: string, @Req() request: FastifyRequest): Promise<CalendarFeedCreatedDto> {
    return this.feeds.create('engineer', userId, publicUrlOf(this.config, request));
  }

  @Delete('engineers/:userId/calendar-feed')
  @Access('engineer')
  @ApiCookieAuth()
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: "Revoke an engineer's ICS feed URL", description: 'An engineer may only revoke their own; admins anyone\'s.' })
  @ApiNoContentResponse({ description: 'Revoked' })
  @ApiProblems(400, 403, 404)
  revokeEngineerCalendarFeed(@Param('userId', uuidParam) userId: string): Promise<void> {
    return this.feeds.revoke('engineer', userId);
  }

  /**
   * Calendar apps poll this without a session. It spends the anonymous per-IP API budget like every
   * public /api/v1 route (the global RateLimitGuard). Unknown, malformed, revoked, rotated and
   * cross-studio keys all get the same 404 body.
   */
  @Get('calendar-feeds/:feedKey')
  @Public()
  @Header('cache-control', 'private, max-age=300')
  @ApiOperation({
    summary: 'An ICS feed (RFC 5545), for calendar apps',
    description:
      'The key is `<studio id>.<token>.ics` as returned when the feed was created. Bookings from 30 days ago to a year ahead (holds TENTATIVE, ' +
      'cancelled and expired holds left out), times as UTC instants, X-WR-TIMEZONE the studio time zone; no client details. ETag / If-None-Match → 304.',
  })
  @ApiParam({ name: 'feedKey', schema: { type: 'string', maxLength: 85, pattern: '^[0-9a-f-]{36}\\.[A-Za-z0-9_-]{43}\\.ics$' } })
  @ApiProduces('text/calendar')
  @ApiResponse({ status: 200, description: 'The calendar', content: { 'text/calendar': { schema: { type: 'string', maxLength: 10_000_000 } } } })
  @ApiResponse({ status: 304, description: 'Not modified (If-None-Match)' })
  @ApiProblems(404, 429)
  async getCalendarFeed(@Param('feedKey') feedKey: string, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<string | undefined> {
    const feed = await this.reader.render(feedKey, request.hostname);
    reply.header('etag', feed.etag).header('content-type', 'text/calendar; charset=utf-8');
    if (request.headers['if-none-match'] === feed.etag) {
      reply.status(304);
      return undefined;
    }
    return feed.body;
  }
}
