import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, Matches } from 'class-validator';

export const REPORT_FORMATS = ['json', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const REVENUE_GROUPS = ['month', 'room', 'engineer'] as const;
export type RevenueGroup = (typeof REVENUE_GROUPS)[number];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `?format=csv` answers text/csv (the same figures, amounts as decimal text) instead of JSON. */
export class ReportFormatQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, enumName: 'ReportFormat', description: 'json (default) or csv' })
  @IsOptional()
  @IsIn(REPORT_FORMATS)
  format?: ReportFormat;
}

/** A range of days in the studio's time zone, both ends included (report-range.ts checks order and length). */
export class ReportRangeQueryDto extends ReportFormatQueryDto {
  @ApiPropertyOptional({ format: 'date', maxLength: 10, example: '2026-01-01', description: 'First day (studio time zone). With `to`; both omitted: the last 12 months.' })
  @IsOptional()
  @Matches(DATE, { message: 'from must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'from must be a real calendar date' })
  from?: string;

  @ApiPropertyOptional({ format: 'date', maxLength: 10, example: '2026-12-31', description: 'Last day, included (at most 366 days after `from`).' })
  @IsOptional()
  @Matches(DATE, { message: 'to must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'to must be a real calendar date' })
  to?: string;
}

export class RevenueQueryDto extends ReportRangeQueryDto {
  @ApiPropertyOptional({ enum: REVENUE_GROUPS, enumName: 'RevenueGroup', description: 'Rows by month (default), room or engineer' })
  @IsOptional()
  @IsIn(REVENUE_GROUPS)
  groupBy?: RevenueGroup;
}
