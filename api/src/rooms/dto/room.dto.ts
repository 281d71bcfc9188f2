import { ApiProperty } from '@nestjs/swagger';
import { PagedListDto } from '../../common/pagination.js';
import { DailyHoursDto } from '../../studio/dto/daily-hours.dto.js';
import { MAX_LENGTH_MINUTES, MAX_NOTICE_MINUTES } from './room-input.dto.js';

export class RoomDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ maxLength: 120, example: 'Studio A' })
  name: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 5000 })
  description: string | null;

  @ApiProperty({ type: 'integer', format: 'int32', nullable: true, minimum: 1, maximum: 10000, description: 'How many people fit' })
  capacity: number | null;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: 2147483647, description: 'Price per hour in minor units of `currency` (cents)', example: 4500 })
  hourlyRateMinor: number;

  @ApiProperty({ type: 'integer', format: 'int32', nullable: true, minimum: 0, maximum: 2147483647, description: 'Flat price for a whole day in minor units; null = none' })
  dayRateMinor: number | null;

  @ApiProperty({ minLength: 3, maxLength: 3, example: 'EUR' })
  currency: string;

  @ApiProperty({ maxLength: 7, pattern: '^#[0-9a-f]{6}$', example: '#6366f1', description: 'Colour in the calendar' })
  colour: string;

  @ApiProperty({ description: 'Inactive rooms keep their history but take no new bookings' })
  active: boolean;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_NOTICE_MINUTES, description: 'A booking must start at least this many minutes from now' })
  minNoticeMinutes: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: MAX_LENGTH_MINUTES })
  minLengthMinutes: number;

  @ApiProperty({ type: 'integer', format: 'int32', nullable: true, minimum: 1, maximum: MAX_LENGTH_MINUTES, description: 'null = no maximum' })
  maxLengthMinutes: number | null;

  @ApiProperty({ type: [DailyHoursDto], nullable: true, maxItems: 7, description: "This room's own opening hours; null = the studio's" })
  openingHours: DailyHoursDto[] | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

export class RoomListDto extends PagedListDto(RoomDto) {}
