import { ValidateIf } from 'class-validator';

/**
 * The small input rules the body and query DTOs share (used with class-transformer's @Transform and
 * class-validator). One copy, so "blank means cleared" means the same in every form.
 */

/** Surrounding white space is never meant: "  Studio A " is stored as "Studio A". */
export const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);

/** An optional text sent blank (or only spaces) clears the field: stored as null, not as "". */
export const blankToNull = ({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? null : trim({ value }));

/** A query list given as repeated parameters, comma-separated, or both: `?status=a,b&status=c`. */
export const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value.flatMap((v) => String(v).split(',')) : value;

/**
 * Validates a PATCH field only when it is sent: absent leaves the stored value alone, while null still
 * reaches the field's own rules (which refuse it where the column cannot be cleared).
 */
export const IfPresent = () => ValidateIf((_o: object, value: unknown) => value !== undefined);
