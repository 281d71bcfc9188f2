import { ApiProperty } from '@nestjs/swagger';
import { BOOKING_STATUSES, type BookingStatus } from '../booking.entity.js';

/** The calendar query answers at most this many bookings (a busy six weeks of many rooms); more is a 400 asking for a narrower range. */
export const MAX_CALENDAR_ITEMS = 5000;

export class BookingClientDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 200 })
  name: string;
}

/** The room's rates when the booking was made (minor units of `currency`). */
export class BookingRateDto {
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 })
  hourlyRateMinor: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647, nullable: true })
  dayRateMinor: number | null;

  @ApiProperty({ minLength: 3, maxLength: 3, example: 'EUR' })
  currency: string;
}

export class BookingDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 200, example: 'Album tracking, day 1' })
  title: string;

  @ApiProperty({ enum: BOOKING_STATUSES, enumName: 'BookingStatus' })
  status: BookingStatus;

  @ApiProperty({ format: 'uuid' })
  clientId: string;

  @ApiProperty({ type: BookingClientDto })
  client: BookingClientDto;

  @ApiProperty({ format: 'uuid' })
  roomId: string;

  @ApiProperty({ type: [String], format: 'uuid', maxItems: 20 })
  engineerIds: string[];

  @ApiProperty({ type: [String], format: 'uuid', maxItems: 50 })
  equipmentIds: string[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  projectId: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'Shared by the occurrences of one recurring booking' })
  seriesId: string | null;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time' })
  endsAt: string;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 1440 })
  setupMinutes: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 1440 })
  teardownMinutes: number;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  holdExpiresAt: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 500, example: 'hold_expired' })
  cancellationReason: string | null;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  notes: string | null;

  @ApiProperty({ type: BookingRateDto })
  rate: BookingRateDto;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  actualStartAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  actualEndAt: string | null;

  @ApiProperty({ maxLength: 16, example: '482913', description: 'Door code for the session' })
  accessCode: string;

  @ApiProperty({ description: 'An admin created or changed it past the booking rules (see the audit log)' })
  rulesOverridden: boolean;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class BookingListDto {
  @ApiProperty({ type: [BookingDto], maxItems: MAX_CALENDAR_ITEMS })
  items: BookingDto[];
}

export class BookingSeriesDto {
  @ApiProperty({ format: 'uuid' })
  seriesId: string;

  @ApiProperty({ type: [BookingDto], maxItems: 52 })
  items: BookingDto[];
}

/** One thing a requested booking collides with (the 409 problem's `conflicts`). */
export class BookingConflictDto {
  @ApiProperty({ enum: ['room', 'engineer', 'equipment'] })
  resource: 'room' | 'engineer' | 'equipment';

  @ApiProperty({ format: 'uuid' })
  resourceId: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The booking in the way (null when it could not be read back)' })
  bookingId: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "The other booking's start, setup buffer included" })
  startsAt: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: "The other booking's end, teardown buffer included" })
  endsAt: string | null;

  @ApiProperty({ required: false, format: 'date-time', description: 'Series: the requested occurrence that conflicts' })
  occurrenceStart?: string;
}

/**
 * The 409 `booking-conflict` problem's own member: what is taken. (A series lists every conflicting
 * occurrence; each occurrence may collide on its room and each engineer and equipment item.)
 */
export class BookingConflictsDto {
  @ApiProperty({ type: [BookingConflictDto], maxItems: 10_000 })
  conflicts: BookingConflictDto[];
}

/** What a booking costs: room time (hours × rate, or the day rate when cheaper) and equipment. */
export class BillableLineDto {
  @ApiProperty({ enum: ['room', 'equipment'] })
  kind: 'room' | 'equipment';

  @ApiProperty({ format: 'uuid' })
  itemId: string;

  @ApiProperty({ maxLength: 200 })
  description: string;

  @ApiProperty({ enum: ['hour', 'day', 'session'] })
  unit: 'hour' | 'day' | 'session';

  @ApiProperty({ description: 'Hours (2 decimals), days or sessions' })
  quantity: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647 })
  unitPriceMinor: number;

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: 9007199254740991 })
  amountMinor: number;

  @ApiProperty({ minLength: 3, maxLength: 3 })
  currency: string;
}

export class BillableSummaryDto {
  @ApiProperty({ format: 'uuid' })
  bookingId: string;

  @ApiProperty({ description: 'Booked hours (endsAt - startsAt)' })
  bookedHours: number;

  @ApiProperty({ description: 'Hours billed: the actual session when checked out, else the booked one' })
  billedHours: number;

  @ApiProperty({ description: 'Actual time beyond the booked end (0 when none or not checked out)' })
  overtimeHours: number;

  @ApiProperty({ type: [BillableLineDto], maxItems: 51 })
  lines: BillableLineDto[];

  @ApiProperty({ type: 'integer', format: 'int64', minimum: 0, maximum: 9007199254740991, description: 'Sum of the lines in `currency` (lines in another currency are listed, not added)' })
  totalMinor: number;

  @ApiProperty({ minLength: 3, maxLength: 3 })
  currency: string;
}
