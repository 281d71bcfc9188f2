import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCookieAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Access } from '../auth/access.decorator.js';
import { publicUrlOf } from '../auth/session-cookie.js';
import { ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { BookingRequestsService } from './booking-requests.service.js';
import {
  ApproveBookingRequestDto,
  BookingRequestDecisionDto,
  BookingRequestDto,
  BookingRequestListDto,
  DeclineBookingRequestDto,
  ListBookingRequestsQueryDto,
} from './dto/booking-request.dto.js';

// Issue 12: engineers and above read the queue (they run the sessions); admins and owners decide (a booking
// made for a client, or a refusal the client is emailed).
@ApiTags('booking-requests')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/booking-requests')
export class BookingRequestsController {
  constructor(
    private readonly requests: BookingRequestsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @Access('engineer')
  @ApiOperation({ summary: 'The queue of booking requests from the client portal', description: 'Newest first; `status` filters (the queue: `pending`). Cursor pagination.' })
  @ApiOkResponse({ type: BookingRequestListDto })
  @ApiProblems(400)
  listBookingRequests(@Query() query: ListBookingRequestsQueryDto): Promise<BookingRequestListDto> {
    return this.requests.list(query);
  }

  @Get(':id')
  @Access('engineer')
  @ApiOperation({ summary: 'One booking request', description: 'With the client, the asking contact, the preferred slots and, once decided, who decided and the booking made.' })
  @ApiOkResponse({ type: BookingRequestDto })
  @ApiProblems(400, 404)
  getBookingRequest(@Param('id', uuidParam) id: string): Promise<BookingRequestDto> {
    return this.requests.get(id);
  }

  @Post(':id/approve')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Approve: book the session (a hold or confirmed) and tell the client',
    description:
      'Books `slotIndex` (the session starts at that preferred slot, durationMinutes long) or `startsAt`/`endsAt`, in `roomId` (default: the requested room), ' +
      'through the bookings rules and conflicts: a `booking-conflict` 409 (or a `booking-rule` 400) writes nothing and leaves the request pending. ' +
      'The booking, the status change, the audit entry and the `booking_request.approved` event commit together; the client is emailed after. ' +
      'A request no longer pending: 409 `booking-request-decided`.',
  })
  @ApiOkResponse({ type: BookingRequestDecisionDto })
  @ApiProblems(400, 403, 404, 409)
  approveBookingRequest(@Param('id', uuidParam) id: string, @Body() dto: ApproveBookingRequestDto, @Req() request: FastifyRequest): Promise<BookingRequestDecisionDto> {
    return this.requests.approve(id, dto, publicUrlOf(this.config, request));
  }

  @Post(':id/decline')
  @Access('admin')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Decline with a reason, emailed to the client', description: 'A request no longer pending: 409 `booking-request-decided`.' })
  @ApiOkResponse({ type: BookingRequestDecisionDto })
  @ApiProblems(400, 403, 404, 409)
  declineBookingRequest(@Param('id', uuidParam) id: string, @Body() dto: DeclineBookingRequestDto, @Req() request: FastifyRequest): Promise<BookingRequestDecisionDto> {
    return this.requests.decline(id, dto, publicUrlOf(this.config, request));
  }
}
