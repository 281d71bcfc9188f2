import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PageQueryDto, PagedListDto } from '../../common/pagination.js';
import { blankToNull, trim } from '../../common/input-transforms.js';
import { Instant, MAX_ENGINEERS } from '../../bookings/dto/booking-input.dto.js';
import { BOOKING_REQUEST_STATUSES, type BookingRequestStatus } from '../booking-request.entity.js';

export const MAX_PREFERRED_SLOTS = 3;
export const MIN_DURATION_MINUTES = 15;
export const MAX_DURATION_MINUTES = 1440;
export const MAX_REQUEST_NOTES = 2000;

const instantDoc = { format: 'date-time', maxLength: 40, example: '2031-03-02T10:00:00Z' } as const;

/** A window the client could come in: the session (durationMinutes long) starts at startsAt, within it. */
export class PreferredSlotDto {
  @ApiProperty({ ...instantDoc, description: 'In the future' })
  @Instant()
  startsAt: string;

  @ApiProperty({ ...instantDoc, description: 'At least durationMinutes after startsAt, at most 7 days' })
  @Instant()
  endsAt: string;
}

export class NamedRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200 }) name: string;
}

/** A booking request as staff see it in the queue. */
export class BookingRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: BOOKING_REQUEST_STATUSES, enumName: 'BookingRequestStatus' }) status: BookingRequestStatus;
  @ApiProperty({ type: NamedRefDto }) client: NamedRefDto;
  @ApiProperty({ type: String, nullable: true, maxLength: 320, description: 'The portal contact who asked (null once the account is gone)' }) requestedBy: string | null;
  @ApiProperty({ type: NamedRefDto, nullable: true, description: 'null: any room' }) room: NamedRefDto | null;
  @ApiProperty({ type: [PreferredSlotDto], minItems: 1, maxItems: MAX_PREFERRED_SLOTS }) preferredSlots: PreferredSlotDto[];
  @ApiProperty({ type: 'integer', format: 'int32', minimum: MIN_DURATION_MINUTES, maximum: MAX_DURATION_MINUTES }) durationMinutes: number;
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_REQUEST_NOTES }) notes: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The member who approved or declined it' }) decidedBy: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 500 }) declineReason: string | null;
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'The booking approving it made' }) bookingId: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class BookingRequestListDto extends PagedListDto(BookingRequestDto) {}

export class BookingRequestDecisionDto extends BookingRequestDto {
  @ApiProperty({ description: 'Whether the email to the client went out (the decision stands either way)' }) clientNotified: boolean;
}

export class ListBookingRequestsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: BOOKING_REQUEST_STATUSES, enumName: 'BookingRequestStatus', description: 'Default: every status' })
  @IsOptional()
  @IsIn(BOOKING_REQUEST_STATUSES)
  status?: BookingRequestStatus;
}

export class ApproveBookingRequestDto {
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_PREFERRED_SLOTS - 1, description: 'Book the session at the start of this preferred slot (or give startsAt and endsAt)' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_PREFERRED_SLOTS - 1)
  slotIndex?: number;

  @ApiPropertyOptional({ ...instantDoc, description: 'With endsAt, instead of slotIndex' })
  @IsOptional()
  @Instant()
  startsAt?: string;

  @ApiPropertyOptional({ ...instantDoc, description: 'After startsAt' })
  @IsOptional()
  @Instant()
  endsAt?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Default: the requested room (required when the client asked for any room)" })
  @IsOptional()
  @IsUUID()
  roomId?: string;

  @ApiPropertyOptional({ type: [String], format: 'uuid', maxItems: MAX_ENGINEERS })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ENGINEERS)
  @IsUUID(undefined, { each: true })
  engineerIds?: string[];

  @ApiProperty({ enum: ['hold', 'confirmed'], description: 'A hold is released at holdExpiresAt (default: 48 hours from now, or the session start if sooner)' })
  @IsIn(['hold', 'confirmed'])
  as: 'hold' | 'confirmed';

  @ApiPropertyOptional({ ...instantDoc, description: 'For a hold, in the future' })
  @IsOptional()
  @Instant()
  holdExpiresAt?: string;

  @ApiPropertyOptional({ minLength: 1, maxLength: 200, description: "The booking's title (default: the client's name)" })
  @Transform(trim)
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  title?: string;
}

export class DeclineBookingRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 500, description: 'Shown to the client and emailed to them' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason: string;
}

/** Issue 12, portal: what a client sends to ask for a session. */
export class CreatePortalBookingRequestDto {
  @ApiPropertyOptional({ type: String, format: 'uuid', nullable: true, description: 'One of the studio rooms (GET /portal/rooms); null or left out: any room' })
  @IsOptional()
  @IsUUID()
  roomId?: string | null;

  @ApiProperty({ type: [PreferredSlotDto], minItems: 1, maxItems: MAX_PREFERRED_SLOTS })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_PREFERRED_SLOTS)
  @ValidateNested({ each: true })
  @Type(() => PreferredSlotDto)
  preferredSlots: PreferredSlotDto[];

  @ApiProperty({ type: 'integer', format: 'int32', minimum: MIN_DURATION_MINUTES, maximum: MAX_DURATION_MINUTES, description: 'Length of the session, in minutes' })
  @IsInt()
  @Min(MIN_DURATION_MINUTES)
  @Max(MAX_DURATION_MINUTES)
  durationMinutes: number;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: MAX_REQUEST_NOTES })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(MAX_REQUEST_NOTES)
  notes?: string | null;
}

export class PortalBookingRequestBookingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
}

/** A booking request as its client sees it. */
export class PortalBookingRequestDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ enum: BOOKING_REQUEST_STATUSES, enumName: 'BookingRequestStatus' }) status: BookingRequestStatus;
  @ApiProperty({ type: NamedRefDto, nullable: true, description: 'null: any room' }) room: NamedRefDto | null;
  @ApiProperty({ type: [PreferredSlotDto], minItems: 1, maxItems: MAX_PREFERRED_SLOTS }) preferredSlots: PreferredSlotDto[];
  @ApiProperty({ type: 'integer', format: 'int32', minimum: MIN_DURATION_MINUTES, maximum: MAX_DURATION_MINUTES }) durationMinutes: number;
  @ApiProperty({ type: String, nullable: true, maxLength: MAX_REQUEST_NOTES }) notes: string | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 500 }) declineReason: string | null;
  @ApiProperty({ type: PortalBookingRequestBookingDto, nullable: true, description: 'The session booked when approved' }) booking: PortalBookingRequestBookingDto | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) decidedAt: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt: string;
}

export class PortalBookingRequestListDto extends PagedListDto(PortalBookingRequestDto) {}
