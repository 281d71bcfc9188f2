import { DateTime } from 'luxon';
import { ValidationProblem } from '../common/problem.js';
import type { ReportRangeQueryDto } from './dto/report-query.dto.js';

/** The longest range a report covers: a leap year. Bounds the work one request can ask for. */
export const MAX_RANGE_DAYS = 366;

/** Days of the studio's calendar, both included, and the instants that bound them in its time zone. */
export interface ReportRange {
  from: string;
  to: string;
  timeZone: string;
  /** `from` at 00:00 in the studio's time zone. */
  startsAt: Date;
  /** The day after `to` at 00:00 in the studio's time zone (exclusive end). */
  endsAt: Date;
}

/** Today's date (YYYY-MM-DD) in `timeZone`. */
export function todayIn(timeZone: string, now = new Date()): string {
  return DateTime.fromJSDate(now, { zone: timeZone }).toISODate()!;
}

/**
 * The range a report query asks for. Both ends or neither (then the 12 calendar months up to today's,
 * in the studio's time zone); `from` ≤ `to`, at most MAX_RANGE_DAYS days: otherwise a 400 naming the field.
 */
export function reportRange(query: ReportRangeQueryDto, timeZone: string, now = new Date()): ReportRange {
  if ((query.from === undefined) !== (query.to === undefined)) {
    const missing = query.from === undefined ? 'from' : 'to';
    throw new ValidationProblem([{ field: missing, messages: [`${missing} is required when ${missing === 'from' ? 'to' : 'from'} is given`] }]);
  }
  const today = DateTime.fromJSDate(now, { zone: timeZone }).startOf('day');
  const first = query.from ? DateTime.fromISO(query.from, { zone: timeZone }) : today.minus({ months: 11 }).startOf('month');
  const last = query.to ? DateTime.fromISO(query.to, { zone: timeZone }) : today;
  if (last < first) throw new ValidationProblem([{ field: 'to', messages: ['to must be on or after from'] }]);
  // Calendar days, not hours: a range over a DST change is still counted in whole days.
  const days = last.diff(first, 'days').days + 1;
  if (Math.round(days) > MAX_RANGE_DAYS) throw new ValidationProblem([{ field: 'to', messages: [`The range covers at most ${MAX_RANGE_DAYS} days`] }]);
  return {
    from: first.toISODate()!,
    to: last.toISODate()!,
    timeZone,
    startsAt: first.toJSDate(),
    endsAt: last.plus({ days: 1 }).startOf('day').toJSDate(),
  };
}
