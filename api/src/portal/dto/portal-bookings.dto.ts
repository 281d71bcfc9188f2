import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { PageQueryDto, PagedListDto } from '../../common/pagination.js';
import { BOOKING_STATUSES, type BookingStatus } from '../../bookings/booking.entity.js';
import { NamedRefDto } from '../../booking-requests/dto/booking-request.dto.js';

export const PORTAL_BOOKING_SCOPES = ['upcoming', 'past'] as const;

export class PortalBookingsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: PORTAL_BOOKING_SCOPES, default: 'upcoming', description: 'upcoming: not yet ended, soonest first; past: ended, latest first' })
  @IsOptional()
  @IsIn(PORTAL_BOOKING_SCOPES)
  scope?: (typeof PORTAL_BOOKING_SCOPES)[number];
}

export class PortalEngineerDto {
  @ApiProperty({ maxLength: 200 }) name: string;
}

export class PortalProjectRefDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200 }) title: string;
}

/** Issue 12, portal: one of the client's sessions. */
export class PortalBookingDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ maxLength: 200 }) title: string;
  @ApiProperty({ enum: BOOKING_STATUSES, enumName: 'BookingStatus' }) status: BookingStatus;
  @ApiProperty({ type: NamedRefDto }) room: NamedRefDto;
  @ApiProperty({ format: 'date-time' }) startsAt: string;
  @ApiProperty({ format: 'date-time' }) endsAt: string;
  @ApiProperty({ type: [PortalEngineerDto], maxItems: 20 }) engineers: PortalEngineerDto[];
  @ApiProperty({ type: PortalProjectRefDto, nullable: true }) project: PortalProjectRefDto | null;
  @ApiProperty({ type: String, nullable: true, maxLength: 16, description: 'The door code, from accessCodeReleasesAt until the session ends; null otherwise' }) accessCode: string | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When the door code is shown (PORTAL_ACCESS_CODE_RELEASE_HOURS before the start); null for a hold, a cancelled or a no-show session',
  })
  accessCodeReleasesAt: string | null;
}

export class PortalBookingListDto extends PagedListDto(PortalBookingDto) {}

export class PortalRoomListDto {
  @ApiProperty({ type: [NamedRefDto], maxItems: 200, description: "The studio's active rooms, by name" }) items: NamedRefDto[];
}
