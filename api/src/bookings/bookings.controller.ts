import { Body, Controller, Get, HttpCode, HttpStatus, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiCookieAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Access } from '../auth/access.decorator.js';
import { ApiProblemWith, ApiProblems } from '../common/api-problems.decorator.js';
import { uuidParam } from '../common/uuid-param.js';
import { BookingChangesService } from './booking-changes.service.js';
import { BookingsService } from './bookings.service.js';
import { BillableSummaryDto, BookingConflictsDto, BookingDto, BookingListDto, BookingSeriesDto } from './dto/booking.dto.js';
import { CalendarQueryDto, CancelBookingDto, CreateBookingDto, CreateBookingSeriesDto, MAX_CALENDAR_RANGE_DAYS, UpdateBookingDto } from './dto/booking-input.dto.js';

const CONFLICT =
  'A 409 `booking-conflict` problem lists in `conflicts` what is taken: the room, an engineer or an ' +
  'equipment item, with the other booking\'s id and times (buffers included), never its client. Guaranteed by PostgreSQL exclusion constraints.';
const RULES =
  'Booking rules (minimum notice, minimum/maximum length, opening hours in the studio time zone, engineers\' time off) refuse with a 400 ' +
  '`booking-rule` problem naming the `rule`; admins and owners may pass `overrideRules: true` (recorded in the audit log and `rulesOverridden`). ' +
  'Unknown client, room, engineer or equipment ids (or another studio\'s) are a 400 naming the field; nothing is written.';

// Issue 9 (scheduling): viewers read the calendar; engineers and above book, move, cancel and check in.
@ApiTags('bookings')
@ApiCookieAuth()
@ApiProblems(401, 503)
@Controller('api/v1/bookings')
export class BookingsController {
  constructor(
    private readonly bookings: BookingsService,
    private readonly changes: BookingChangesService,
  ) {}

  @Get()
  @Access('viewer')
  @ApiOperation({
    summary: 'The calendar: bookings overlapping [from, to)',
    description: `Both bounds required; at most ${MAX_CALENDAR_RANGE_DAYS} days apart. Cancelled and no-show bookings only when \`status\` names them. Sorted by startsAt, then id.`,
  })
  @ApiOkResponse({ type: BookingListDto })
  @ApiProblems(400)
  listBookings(@Query() query: CalendarQueryDto): Promise<BookingListDto> {
    return this.bookings.list(query);
  }

  @Post()
  @Access('engineer')
  @ApiOperation({ summary: 'Book a session (or place a hold)', description: `The room's rates are copied into the booking. ${RULES} ${CONFLICT}` })
  @ApiCreatedResponse({ type: BookingDto })
  @ApiProblems(400)
  @ApiProblemWith(409, BookingConflictsDto)
  createBooking(@Body() dto: CreateBookingDto): Promise<BookingDto> {
    return this.bookings.create(dto);
  }

  @Post('series')
  @Access('engineer')
  @ApiOperation({
    summary: 'Book a recurring session (all occurrences or none)',
    description: `The RRULE is expanded in the studio's time zone, so wall-clock times survive DST changes. A conflict lists every conflicting occurrence (occurrenceStart). ${RULES} ${CONFLICT}`,
  })
  @ApiCreatedResponse({ type: BookingSeriesDto })
  @ApiProblems(400)
  @ApiProblemWith(409, BookingConflictsDto)
  createBookingSeries(@Body() dto: CreateBookingSeriesDto): Promise<BookingSeriesDto> {
    return this.bookings.createSeries(dto);
  }

  @Get(':id')
  @Access('viewer')
  @ApiOperation({ summary: 'Get one booking', description: "Another studio's booking is a 404, like one that does not exist." })
  @ApiOkResponse({ type: BookingDto })
  @ApiProblems(400, 404)
  getBooking(@Param('id', uuidParam) id: string): Promise<BookingDto> {
    return this.bookings.get(id);
  }

  @Get(':id/summary')
  @Access('viewer')
  @ApiOperation({ summary: 'What the booking costs', description: 'Room hours × the booked rate (or the day rate when cheaper) and equipment; actual times once checked out.' })
  @ApiOkResponse({ type: BillableSummaryDto })
  @ApiProblems(400, 404)
  getBookingSummary(@Param('id', uuidParam) id: string): Promise<BillableSummaryDto> {
    return this.bookings.summary(id);
  }

  @Patch(':id')
  @Access('engineer')
  @ApiOperation({
    summary: 'Move, resize, reassign, edit or confirm a booking',
    description: `Only the fields sent change. \`status: confirmed\` confirms a hold. \`scope: following\` applies the change to the later occurrences of the series too. ${RULES} ${CONFLICT}`,
  })
  @ApiOkResponse({ type: BookingDto })
  @ApiProblems(400, 404)
  @ApiProblemWith(409, BookingConflictsDto)
  updateBooking(@Param('id', uuidParam) id: string, @Body() dto: UpdateBookingDto): Promise<BookingDto> {
    return this.changes.update(id, dto);
  }

  @Post(':id/cancel')
  @Access('engineer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Cancel a booking (or it and the rest of its series)', description: 'Frees its slot at once. A session under way or over cannot be cancelled (409).' })
  @ApiOkResponse({ type: BookingDto })
  @ApiProblems(400, 404, 409)
  cancelBooking(@Param('id', uuidParam) id: string, @Body() dto: CancelBookingDto): Promise<BookingDto> {
    return this.changes.cancel(id, dto);
  }

  @Post(':id/check-in')
  @Access('engineer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Check in: the session starts now', description: 'A confirmed booking becomes in_progress with actualStartAt = now; otherwise 409.' })
  @ApiOkResponse({ type: BookingDto })
  @ApiProblems(400, 404, 409)
  checkInBooking(@Param('id', uuidParam) id: string): Promise<BookingDto> {
    return this.changes.check(id, 'in');
  }

  @Post(':id/check-out')
  @Access('engineer')
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Check out: the session ends now', description: 'An in-progress booking becomes completed with actualEndAt = now; see the summary for overtime and billing.' })
  @ApiOkResponse({ type: BookingDto })
  @ApiProblems(400, 404, 409)
  checkOutBooking(@Param('id', uuidParam) id: string): Promise<BookingDto> {
    return this.changes.check(id, 'out');
  }
}
