import { DateTime } from 'luxon';
import rrule from 'rrule';
import { ValidationProblem } from '../common/problem.js';

const { RRule } = rrule;

export const MAX_OCCURRENCES = 52;
const FIELD = 'recurrence.rrule';
/** What a studio's recurrence may say: the rest of RFC 5545 (BYSETPOS, BYHOUR, DTSTART, TZID…) has no use here. */
const ALLOWED_OPTIONS = new Set(['freq', 'count', 'until', 'interval', 'byweekday', 'wkst']);

const invalid = (message: string) => new ValidationProblem([{ field: FIELD, messages: [message] }], 'The recurrence rule is invalid.');

export interface Occurrence {
  startsAt: Date;
  endsAt: Date;
}

/** Wall-clock fields of a zoned time as a "floating" UTC Date (how rrule computes in local time). */
const floating = (t: DateTime) => new Date(Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, t.millisecond));
/** Back from floating: the same wall-clock fields in `zone` (a time skipped by DST moves forward, as luxon does). */
const zoned = (d: Date, zone: string) =>
  DateTime.fromObject(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), millisecond: d.getUTCMilliseconds() },
    { zone },
  );

/**
 * The occurrences of a recurring booking: `rule` (RRULE, FREQ DAILY or WEEKLY, COUNT or UNTIL, at most 52)
 * expanded from the first booking in the studio's time zone, so each occurrence keeps the wall-clock start
 * and end the studio entered across a DST change (10:00-14:00 Paris stays 10:00-14:00, moving by an hour in
 * UTC). UNTIL is read as a wall-clock time in that zone too. Throws a 400 problem naming recurrence.rrule.
 */
export function expandSeries(rule: string, first: Occurrence, timeZone: string): Occurrence[] {
  let options: ReturnType<typeof RRule.parseString>;
  try {
    options = RRule.parseString(rule.trim().replace(/^RRULE:/i, ''));
  } catch (err) {
    throw invalid(`not an RRULE: ${(err as Error).message}`);
  }
  const unsupported = Object.keys(options).filter((k) => !ALLOWED_OPTIONS.has(k));
  if (unsupported.length) throw invalid(`unsupported RRULE part(s): ${unsupported.join(', ').toUpperCase()}`);
  if (options.freq !== RRule.DAILY && options.freq !== RRule.WEEKLY) throw invalid('FREQ must be DAILY or WEEKLY');
  const count = options.count ?? undefined;
  if (count === undefined && !options.until) throw invalid('COUNT or UNTIL is required');
  if (count !== undefined && (!Number.isInteger(count) || count < 1 || count > MAX_OCCURRENCES)) {
    throw invalid(`COUNT must be an integer from 1 to ${MAX_OCCURRENCES}`);
  }
  if (options.until && Number.isNaN(new Date(options.until).getTime())) throw invalid('UNTIL is not a date');
  if (options.interval !== undefined && (!Number.isInteger(options.interval) || options.interval < 1 || options.interval > 52)) {
    throw invalid('INTERVAL must be an integer from 1 to 52');
  }
  const days = ([] as unknown[]).concat(options.byweekday ?? []);
  if (days.some((d) => d === null || d === undefined)) throw invalid('BYDAY must list MO, TU, WE, TH, FR, SA or SU');

  const start = DateTime.fromJSDate(first.startsAt, { zone: timeZone });
  const end = DateTime.fromJSDate(first.endsAt, { zone: timeZone });
  const wallLength = floating(end).getTime() - floating(start).getTime();
  const expanded: Date[] = [];
  new RRule({ ...options, dtstart: floating(start) }).all((date, i) => {
    expanded.push(date);
    return i < MAX_OCCURRENCES; // one more than allowed, to tell "too many"
  });
  if (expanded.length > MAX_OCCURRENCES) throw invalid(`the rule makes more than ${MAX_OCCURRENCES} occurrences`);
  if (!expanded.length) throw invalid('the rule makes no occurrence');
  return expanded.map((d) => ({
    startsAt: zoned(d, timeZone).toJSDate(),
    endsAt: zoned(new Date(d.getTime() + wallLength), timeZone).toJSDate(),
  }));
}
