import type { ValueTransformer } from 'typeorm';

/**
 * bigint columns holding money in minor units, read as JavaScript numbers. Amounts are capped at
 * MAX_MINOR (far below 2^53) by validation, so a number is exact; pg returns bigint as a string.
 */
export const MINOR_UNITS: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/** numeric columns (quantities, tax rates) kept as their exact decimal text, never a float. */
export const DECIMAL_TEXT: ValueTransformer = {
  to: (value: string | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : normalizeDecimal(value)),
};

/** "20.0000" → "20", "2.500" → "2.5": what the API returns. */
export function normalizeDecimal(text: string): string {
  if (!text.includes('.')) return text;
  return text.replace(/0+$/, '').replace(/\.$/, '');
}
