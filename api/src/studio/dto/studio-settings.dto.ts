import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayUnique, IsArray, IsInt, IsString, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsCurrencyCode, IsTimeZone, IsWeekOfHours } from '../studio-validators.js';
import { DailyHoursDto } from './daily-hours.dto.js';
import { IfPresent } from '../../common/input-transforms.js';

export const MAX_BUFFER_MINUTES = 240;
// Issue 13, mailnotify: reminders before a session, 15 minutes to 14 days ahead, at most 4.
export const MIN_REMINDER_MINUTES = 15;
export const MAX_REMINDER_MINUTES = 14 * 24 * 60;
export const MAX_REMINDERS = 4;

export class StudioSettingsDto {
  @ApiProperty({ maxLength: 64, example: 'Europe/Paris', description: 'IANA time zone: bookings are entered and shown in it' })
  timeZone: string;

  @ApiProperty({ minLength: 3, maxLength: 3, example: 'EUR', description: 'ISO 4217 code, used when a price names no currency' })
  defaultCurrency: string;

  @ApiProperty({ type: [DailyHoursDto], maxItems: 7, description: 'Sorted by weekday; a weekday absent is closed; empty = no opening-hours rule' })
  openingHours: DailyHoursDto[];

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_BUFFER_MINUTES })
  defaultSetupMinutes: number;

  @ApiProperty({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_BUFFER_MINUTES })
  defaultTeardownMinutes: number;

  @ApiProperty({ type: 'integer', format: 'int32', isArray: true, maxItems: MAX_REMINDERS, minimum: MIN_REMINDER_MINUTES, maximum: MAX_REMINDER_MINUTES, example: [1440, 120], description: 'Minutes before a session when reminders are emailed (largest first); the last one carries the access code' })
  reminderOffsetsMinutes: number[];

  @ApiProperty({ format: 'date-time' })
  updatedAt: string;
}

/** Only the fields sent change. */
export class UpdateStudioSettingsDto {
  @ApiPropertyOptional({ maxLength: 64, example: 'Europe/Paris', description: 'Exactly as listed by the IANA database (e.g. Europe/Paris, America/New_York, UTC)' })
  @IfPresent()
  @IsString()
  @MaxLength(64)
  @IsTimeZone()
  timeZone?: string;

  @ApiPropertyOptional({ minLength: 3, maxLength: 3, example: 'EUR', description: 'ISO 4217, upper case' })
  @IfPresent()
  @IsString()
  @MaxLength(3)
  @IsCurrencyCode()
  defaultCurrency?: string;

  @ApiPropertyOptional({ type: [DailyHoursDto], maxItems: 7, description: 'The whole week (replaces the stored one): one entry per open weekday' })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  @Type(() => DailyHoursDto)
  @IsWeekOfHours()
  openingHours?: DailyHoursDto[];

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_BUFFER_MINUTES, description: 'Minutes reserved before a session' })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(MAX_BUFFER_MINUTES)
  defaultSetupMinutes?: number;

  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 0, maximum: MAX_BUFFER_MINUTES, description: 'Minutes reserved after a session' })
  @IfPresent()
  @IsInt()
  @Min(0)
  @Max(MAX_BUFFER_MINUTES)
  defaultTeardownMinutes?: number;

  // Issue 13, mailnotify.
  @ApiPropertyOptional({ type: 'integer', format: 'int32', isArray: true, maxItems: MAX_REMINDERS, minimum: MIN_REMINDER_MINUTES, maximum: MAX_REMINDER_MINUTES, example: [1440, 120], description: 'The whole list (replaces the stored one): 0 to 4 distinct offsets, 15 minutes to 14 days; [] = no reminders' })
  @IfPresent()
  @IsArray()
  @ArrayMaxSize(MAX_REMINDERS)
  @ArrayUnique()
  @IsInt({ each: true })
  @Min(MIN_REMINDER_MINUTES, { each: true })
  @Max(MAX_REMINDER_MINUTES, { each: true })
  reminderOffsetsMinutes?: number[];
}
