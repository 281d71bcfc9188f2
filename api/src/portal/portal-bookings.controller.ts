import { Body, Controller, Get, Headers, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PortalAccess } from '../auth/access.decorator.js';
import type { PortalPrincipal } from '../auth/auth.types.js';
import { CreatePortalBookingRequestDto, PortalBookingRequestDto, PortalBookingRequestListDto } from '../booking-requests/dto/booking-request.dto.js';
import { PortalBookingRequestsService } from '../booking-requests/portal-booking-requests.service.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { PageQueryDto } from '../common/pagination.js';
import { uuidParam } from '../common/uuid-param.js';
import { IdempotencyKeyHeader } from '../idempotency/idempotent-writes.js';
import { CurrentPortalPrincipal } from './current-portal-principal.decorator.js';
import { PortalBookingDto, PortalBookingListDto, PortalBookingsQueryDto, PortalRoomListDto } from './dto/portal-bookings.dto.js';
import { PortalBookingsService } from './portal-bookings.service.js';

/** Issue 12, portal: the signed-in client's sessions, the studio's rooms to ask for, and their booking requests. */
@ApiTags('portal')
@ApiCookieAuth('portal')
@PortalAccess()
@Controller('api/v1/portal')
export class PortalBookingsController {
  constructor(
    private readonly bookings: PortalBookingsService,
    private readonly requests: PortalBookingRequestsService,
  ) {}

  @Get('bookings')
  @ApiOperation({
    summary: "The client's sessions, upcoming or past",
    description: 'upcoming: not ended, soonest first; past: ended, latest first. The door code is null until `accessCodeReleasesAt` (see docs/portal.md).',
  })
  @ApiOkResponse({ type: PortalBookingListDto })
  @ApiProblems(400)
  listPortalBookings(@CurrentPortalPrincipal() principal: PortalPrincipal, @Query() query: PortalBookingsQueryDto): Promise<PortalBookingListDto> {
    return this.bookings.list(principal, query);
  }

  @Get('bookings/:id')
  @ApiOperation({ summary: "One of the client's sessions", description: "Another client's session or an unknown id is a 404." })
  @ApiOkResponse({ type: PortalBookingDto })
  @ApiProblems(400)
  getPortalBooking(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<PortalBookingDto> {
    return this.bookings.get(principal, id);
  }

  @Get('rooms')
  @ApiOperation({ summary: "The studio's rooms a client may ask for (id and name)", description: 'Active rooms only, by name: nothing else about them (rates, rules) is shown to clients.' })
  @ApiOkResponse({ type: PortalRoomListDto })
  listPortalRooms(): Promise<PortalRoomListDto> {
    return this.bookings.rooms();
  }

  @Post('booking-requests')
  @HttpCode(HttpStatus.CREATED)
  @IdempotencyKeyHeader()
  @ApiOperation({
    summary: 'Ask the studio for a session',
    description: '1 to 3 preferred slots (windows in the future, each at least durationMinutes long, at most 7 days), a room or any, notes. Staff approve or decline it; the client is emailed.',
  })
  @ApiCreatedResponse({ type: PortalBookingRequestDto })
  @ApiProblems(400, 409, 422)
  createPortalBookingRequest(
    @CurrentPortalPrincipal() principal: PortalPrincipal,
    @Body() dto: CreatePortalBookingRequestDto,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<PortalBookingRequestDto> {
    return this.requests.create(principal, dto, key);
  }

  @Get('booking-requests')
  @ApiOperation({ summary: "The client's booking requests, newest first", description: 'Each with its status, the decline reason or the session booked. Cursor pagination.' })
  @ApiOkResponse({ type: PortalBookingRequestListDto })
  @ApiProblems(400)
  listPortalBookingRequests(@CurrentPortalPrincipal() principal: PortalPrincipal, @Query() query: PageQueryDto): Promise<PortalBookingRequestListDto> {
    return this.requests.list(principal, query);
  }

  @Post('booking-requests/:id/withdraw')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Withdraw a pending request', description: "Another client's request is a 404; one already decided: 409 `booking-request-decided`." })
  @ApiOkResponse({ type: PortalBookingRequestDto })
  @ApiProblems(400, 409)
  withdrawPortalBookingRequest(@CurrentPortalPrincipal() principal: PortalPrincipal, @Param('id', uuidParam) id: string): Promise<PortalBookingRequestDto> {
    return this.requests.withdraw(principal, id);
  }
}
