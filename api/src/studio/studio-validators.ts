import { registerDecorator, type ValidationArguments, type ValidationOptions } from 'class-validator';

/**
 * IANA time zones as the runtime knows them (the same list the web app offers), plus "UTC", which
 * Intl lists under Etc/ but every system knows. Exact spelling only: Intl.DateTimeFormat would also
 * accept "europe/paris" or an offset such as "+01:00", which are not IANA names and would come back
 * spelled differently from what was stored.
 */
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
/** ISO 4217 codes the runtime can format (Intl), so every stored currency can be shown. */
const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

export const isTimeZone = (value: unknown): value is string => typeof value === 'string' && TIME_ZONES.has(value);
export const isCurrencyCode = (value: unknown): value is string => typeof value === 'string' && CURRENCIES.has(value);

const simple = (name: string, test: (value: unknown) => boolean, message: string) => (options?: ValidationOptions) => (object: object, propertyName: string) =>
  registerDecorator({ name, target: object.constructor, propertyName, options: { message, ...options }, validator: { validate: (value: unknown) => test(value) } });

export const IsTimeZone = simple('isTimeZone', isTimeZone, '$property must be an IANA time zone such as Europe/Paris');
export const IsCurrencyCode = simple('isCurrencyCode', isCurrencyCode, '$property must be an ISO 4217 currency code such as EUR');

/** "HH:MM" from 00:00 to 23:59. */
export const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
/** A closing time: any time of day, or 24:00 (midnight at the end of the day). */
export const CLOSING_TIME = /^(([01]\d|2[0-3]):[0-5]\d|24:00)$/;

interface Hours {
  weekday?: unknown;
  opens?: unknown;
  closes?: unknown;
}

/**
 * A week of opening (or working) hours: at most one entry per weekday, each closing after it opens.
 * The entries' own shapes are checked by DailyHoursDto; this checks what relates them. "HH:MM" strings
 * compare in time order, and "24:00" after all of them.
 */
export function IsWeekOfHours(options?: ValidationOptions) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isWeekOfHours',
      target: object.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (value === null || value === undefined) return true;
          if (!Array.isArray(value)) return false;
          const days = value.map((h: Hours) => h?.weekday);
          if (new Set(days).size !== days.length) return false;
          return value.every((h: Hours) => typeof h?.opens !== 'string' || typeof h?.closes !== 'string' || h.closes > h.opens);
        },
        defaultMessage(args: ValidationArguments) {
          return `${args.property} must have at most one entry per weekday, each closing after it opens`;
        },
      },
    });
}
