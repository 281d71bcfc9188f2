import { ApiProperty } from '@nestjs/swagger';
import { IsInt, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import type { DailyHours } from '../studio-settings.entity.js';
import { CLOSING_TIME, TIME_OF_DAY } from '../studio-validators.js';

/** One weekday's hours, wall-clock in the studio's time zone. Used by the studio, rooms and engineers. */
export class DailyHoursDto {
  @ApiProperty({ type: 'integer', format: 'int32', minimum: 1, maximum: 7, description: 'ISO weekday: 1 = Monday … 7 = Sunday', example: 1 })
  @IsInt()
  @Min(1)
  @Max(7)
  weekday: number;

  @ApiProperty({ maxLength: 5, pattern: TIME_OF_DAY.source, example: '09:00' })
  @IsString()
  @MaxLength(5)
  @Matches(TIME_OF_DAY, { message: 'opens must be a time of day HH:MM' })
  opens: string;

  @ApiProperty({ maxLength: 5, pattern: CLOSING_TIME.source, example: '22:00', description: 'After `opens`; "24:00" = midnight at the end of the day' })
  @IsString()
  @MaxLength(5)
  @Matches(CLOSING_TIME, { message: 'closes must be a time of day HH:MM or 24:00' })
  closes: string;
}

/** Stored and returned sorted by weekday, as plain objects, so equal weeks read (and compare) the same. */
export const byWeekday = (hours: DailyHours[]): DailyHours[] =>
  [...hours].sort((a, b) => a.weekday - b.weekday).map(({ weekday, opens, closes }) => ({ weekday, opens, closes }));
