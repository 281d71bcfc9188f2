import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsDefined,
  IsObject,
  IsIn,
  IsInt,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { BOOKING_STATUSES, type BookingStatus } from '../booking.entity.js';
import { blankToNull, trim } from '../../common/input-transforms.js';

export const MAX_ENGINEERS = 20;
export const MAX_EQUIPMENT = 50;
export const MAX_BUFFER_MINUTES = 1440;
/** The calendar query's widest range: six weeks (a month view with its overflow days). */
export const MAX_CALENDAR_RANGE_DAYS = 42;
export const BOOKING_SCOPES = ['this', 'following'] as const;
export type BookingScope = (typeof BOOKING_SCOPES)[number];

/** An instant, never a bare local time: a server's time zone must not decide when a session starts. */
export function Instant(): PropertyDecorator {
  return (target, key) => {
    IsISO8601({ strict: true, strictSeparator: true })(target, key);
    Matches(/T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/, { message: `${String(key)} must be a date-time with Z or a UTC offset` })(target, key);
    MaxLength(40)(target, key);
  };
}

/**
 * The rules of engineerIds and equipmentIds, in create and update alike: distinct ids, at most `max`;
 * left out means none (create) or unchanged (update). Listed bottom-up, the order stacked decorators
 * apply in, so the checks and their messages come in the same order as before.
 */
function IdList(max: number): PropertyDecorator {
  return applyDecorators(IsUUID(undefined, { each: true }), ArrayUnique(), ArrayMaxSize(max), IsArray(), IsOptional());
}

/** setupMinutes and teardownMinutes: whole minutes, 0 to a day; left out: the studio's default (create) or unchanged. */
function BufferMinutes(): PropertyDecorator {
  return applyDecorators(Max(MAX_BUFFER_MINUTES), Min(0), IsInt(), IsOptional());
}

const instantDoc = { format: 'date-time', maxLength: 40, example: '2026-03-02T10:00:00Z' } as const;

export class CreateBookingDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  clientId: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  roomId: string;

  @ApiProperty({ minLength: 1, maxLength: 200, example: 'Album tracking, day 1' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title: string;

  @ApiProperty(instantDoc)
  @Instant()
  startsAt: string;

  @ApiProperty({ ...instantDoc, description: 'After startsAt' })
  @Instant()
  endsAt: string;

  @ApiPropertyOptional({ enum: ['hold', 'confirmed'], default: 'confirmed', description: 'A hold needs holdExpiresAt and is released then' })
  @IsOptional()
  @IsIn(['hold', 'confirmed'])
  status?: 'hold' | 'confirmed';

  @ApiPropertyOptional({ ...instantDoc, description: 'Required for a hold, in the future' })
  @IsOptional()
  @Instant()
  holdExpiresAt?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_ENGINEERS, description: 'Members with the engineer role or above' })
  @IdList(MAX_ENGINEERS)
  engineerIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_EQUIPMENT })
  @IdList(MAX_EQUIPMENT)
  equipmentIds?: string[];

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_BUFFER_MINUTES, description: "Default: the studio's" })
  @BufferMinutes()
  setupMinutes?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_BUFFER_MINUTES, description: "Default: the studio's" })
  @BufferMinutes()
  teardownMinutes?: number;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  notes?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true })
  @IsOptional()
  @IsUUID()
  projectId?: string | null;

  @ApiPropertyOptional({ description: 'Admins and owners: pass the booking rules (recorded in the audit log)' })
  @IsOptional()
  @IsBoolean()
  overrideRules?: boolean;
}

export class RecurrenceDto {
  @ApiProperty({
    maxLength: 500,
    example: 'FREQ=WEEKLY;COUNT=10',
    description: 'RFC 5545 RRULE (without DTSTART): FREQ=DAILY or WEEKLY, with COUNT or UNTIL; at most 52 occurrences, in the studio time zone',
  })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  rrule: string;
}

export class CreateBookingSeriesDto extends CreateBookingDto {
  @ApiProperty({ type: RecurrenceDto })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => RecurrenceDto)
  recurrence: RecurrenceDto;
}

export class UpdateBookingDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional(instantDoc)
  @IsOptional()
  @Instant()
  startsAt?: string;

  @ApiPropertyOptional(instantDoc)
  @IsOptional()
  @Instant()
  endsAt?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_ENGINEERS })
  @IdList(MAX_ENGINEERS)
  engineerIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_EQUIPMENT })
  @IdList(MAX_EQUIPMENT)
  equipmentIds?: string[];

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_BUFFER_MINUTES })
  @BufferMinutes()
  setupMinutes?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_BUFFER_MINUTES })
  @BufferMinutes()
  teardownMinutes?: number;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @ValidateIf((o: UpdateBookingDto) => o.notes !== undefined && o.notes !== null)
  @IsString()
  @MaxLength(5000)
  notes?: string | null;

  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: "A project of the booking's client; null: none (issue 10)" })
  @IsOptional()
  @IsUUID()
  projectId?: string | null;

  @ApiPropertyOptional({ enum: ['confirmed'], description: 'confirmed: confirm a hold' })
  @IsOptional()
  @IsIn(['confirmed'])
  status?: 'confirmed';

  @ApiPropertyOptional({ description: 'Admins and owners: pass the booking rules (recorded)' })
  @IsOptional()
  @IsBoolean()
  overrideRules?: boolean;

  @ApiPropertyOptional({ enum: BOOKING_SCOPES, default: 'this', description: 'following: this occurrence and the later ones of its series' })
  @IsOptional()
  @IsIn(BOOKING_SCOPES)
  scope?: BookingScope;
}

export class CancelBookingDto {
  @ApiPropertyOptional({ maxLength: 500 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string | null;

  @ApiPropertyOptional({ enum: BOOKING_SCOPES, default: 'this' })
  @IsOptional()
  @IsIn(BOOKING_SCOPES)
  scope?: BookingScope;
}

/** `status=a,b` and `status=a&status=b` both give [a, b]. */
const statusList = ({ value }: { value: unknown }) =>
  (Array.isArray(value) ? value : [value]).flatMap((v) => (typeof v === 'string' ? v.split(',') : [v])).filter((v) => v !== '');

export class CalendarQueryDto {
  @ApiProperty({ ...instantDoc, description: 'Start of the range (inclusive)' })
  @Instant()
  from: string;

  @ApiProperty({ ...instantDoc, description: `End of the range (exclusive); at most ${MAX_CALENDAR_RANGE_DAYS} days after from` })
  @Instant()
  to: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  engineerId?: string;

  @ApiPropertyOptional({
    type: [String],
    enum: BOOKING_STATUSES,
    maxItems: BOOKING_STATUSES.length,
    description: 'Only these statuses (repeat or comma-separate); default: all but cancelled and no_show',
  })
  @IsOptional()
  @Transform(statusList)
  @IsArray()
  @ArrayMaxSize(BOOKING_STATUSES.length)
  @IsIn(BOOKING_STATUSES, { each: true })
  status?: BookingStatus[];
}
