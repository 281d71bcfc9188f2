import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { applyDecorators } from '@nestjs/common';
import { ArrayMaxSize, IsArray, IsDateString, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { PagedListDto, PageQueryDto } from '../../common/pagination.js';
import { ROLES, type Role } from '../../control/membership.entity.js';
import { DailyHoursDto } from '../../studio/dto/daily-hours.dto.js';
import { IsWeekOfHours } from '../../studio/studio-validators.js';
import { blankToNull } from '../../common/input-transforms.js';

/** An instant: ISO 8601 date and time with Z or an offset (a time without one would depend on the server's zone). */
const IsInstant = () =>
  applyDecorators(
    IsDateString({ strict: true, strictSeparator: true }),
    Matches(/^\d{4}-\d{2}-\d{2}T[^Z+-]*(Z|[+-]\d{2}:\d{2})$/, { message: '$property must be a date and time with Z or an offset, e.g. 2026-08-03T09:00:00+02:00' }),
  );

export class EngineerDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ maxLength: 200, example: 'Ada Lovelace' })
  name: string;

  @ApiProperty({ format: 'email', maxLength: 320 })
  email: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', description: 'engineer, admin or owner: everyone who can run a session' })
  role: Role;

  @ApiProperty({ type: [DailyHoursDto], maxItems: 7, description: 'Weekly working hours in the studio time zone; empty = not set yet' })
  workingHours: DailyHoursDto[];
}

export class EngineerListDto extends PagedListDto(EngineerDto) {}

export class ListEngineersQueryDto extends PageQueryDto {}

export class WorkingHoursDto {
  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ type: [DailyHoursDto], maxItems: 7, description: 'Sorted by weekday; a weekday absent is a day off' })
  workingHours: DailyHoursDto[];
}

export class SetWorkingHoursDto {
  @ApiProperty({ type: [DailyHoursDto], maxItems: 7, description: 'The whole week (replaces the stored one): one entry per working weekday' })
  @IsArray()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  @Type(() => DailyHoursDto)
  @IsWeekOfHours()
  workingHours: DailyHoursDto[];
}

export class TimeOffDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  userId: string;

  @ApiProperty({ format: 'date-time' })
  startsAt: string;

  @ApiProperty({ format: 'date-time', description: 'After startsAt (exclusive end)' })
  endsAt: string;

  @ApiProperty({ type: String, nullable: true, maxLength: 200, example: 'Holiday' })
  reason: string | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class TimeOffListDto extends PagedListDto(TimeOffDto) {}

export class ListTimeOffQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'date-time', description: 'Only periods that end after this instant (e.g. now, for current and upcoming time off)' })
  @IsOptional()
  @IsInstant()
  endsAfter?: string;
}

export class CreateTimeOffDto {
  @ApiProperty({ format: 'date-time', example: '2026-08-03T00:00:00+02:00', description: 'ISO 8601 with an offset or Z' })
  @IsInstant()
  startsAt: string;

  @ApiProperty({ format: 'date-time', example: '2026-08-17T00:00:00+02:00', description: 'After startsAt, at most a year later' })
  @IsInstant()
  endsAt: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 200, example: 'Holiday' })
  @Transform(blankToNull)
  @IsOptional()
  @IsString()
  @MaxLength(200)
  reason?: string | null;
}
