import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';
import { PageQueryDto } from '../../common/pagination.js';
import { DailyHoursDto } from '../../studio/dto/daily-hours.dto.js';
import { IsCurrencyCode, IsWeekOfHours } from '../../studio/studio-validators.js';
import { blankToNull, IfPresent, trim } from '../../common/input-transforms.js';

export const MAX_MONEY_MINOR = 2_147_483_647; // integer column
/** Longest booking a rule may allow or require: 30 days (multi-day sessions). */
export const MAX_LENGTH_MINUTES = 30 * 24 * 60;
/** Longest notice a rule may require: a year. */
export const MAX_NOTICE_MINUTES = 366 * 24 * 60;

/** Every field of a room but its name, optional: the base of create and update. */
export class RoomFieldsDto {
  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 5000 })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  description?: string | null;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', nullable: true, minimum: 1, maximum: 10000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(10000)
  capacity?: number | null;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_MONEY_MINOR, default: 0, description: 'Minor units of `currency` (cents)' })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(MAX_MONEY_MINOR)
  hourlyRateMinor?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', nullable: true, minimum: 0, maximum: MAX_MONEY_MINOR, description: 'Minor units; null = no day rate' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_MONEY_MINOR)
  dayRateMinor?: number | null;

  @ApiPropertyOptional({ minLength: 3, maxLength: 3, example: 'EUR', description: "ISO 4217; on create, the studio's default currency when left out" })
  @IfPresent()
  @IsString()
  @MaxLength(3)
  @IsCurrencyCode()
  currency?: string;

  @ApiPropertyOptional({ maxLength: 7, pattern: '^#[0-9a-fA-F]{6}$', example: '#6366f1', description: 'Stored in lower case' })
  @IfPresent()
  @IsString()
  @MaxLength(7)
  @Matches(/^#[0-9a-fA-F]{6}$/, { message: 'colour must be a colour #rrggbb' })
  colour?: string;

  @ApiPropertyOptional({ description: 'false: keeps the room and its history, takes no new bookings' })
  @IfPresent()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_NOTICE_MINUTES, default: 0 })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(MAX_NOTICE_MINUTES)
  minNoticeMinutes?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 1, maximum: MAX_LENGTH_MINUTES, default: 30 })
  @IfPresent()
  @IsInt()
  @Min(1)
  @Max(MAX_LENGTH_MINUTES)
  minLengthMinutes?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', nullable: true, minimum: 1, maximum: MAX_LENGTH_MINUTES, description: 'At least minLengthMinutes; null = no maximum' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(MAX_LENGTH_MINUTES)
  maxLengthMinutes?: number | null;

  @ApiPropertyOptional({ type: [DailyHoursDto], nullable: true, maxItems: 7, description: "The room's own week of opening hours; null = the studio's" })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  @Type(() => DailyHoursDto)
  @IsWeekOfHours()
  openingHours?: DailyHoursDto[] | null;
}

export class CreateRoomDto extends RoomFieldsDto {
  @ApiProperty({ minLength: 1, maxLength: 120, example: 'Studio A', description: 'Unique in the studio, whatever the case' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name: string;
}

/** Only the fields sent change; null clears an optional field; `name` may change but not be cleared. */
export class UpdateRoomDto extends CreateRoomDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 120, example: 'Studio A', description: 'Unique in the studio, whatever the case' })
  @Transform(trim)
  @IfPresent()
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  declare name: string;
}

export class ListRoomsQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'Only active (true) or inactive (false) rooms; both when left out' })
  @IsOptional()
  @IsIn(['true', 'false'])
  active?: 'true' | 'false';

  @ApiPropertyOptional({ maxLength: 120, description: 'Part of the name (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(120)
  q?: string;
}
