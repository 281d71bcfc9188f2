import currencyCodes from 'currency-codes';

/**
 * Money, defined once (issue 11). Every amount is an integer in minor units of an ISO 4217 currency
 * (EUR cents, JPY yen, BHD fils). The API, the PDFs and the web editor's preview all use these
 * functions; nothing else rounds money.
 *
 * Rounding: **per line, half away from zero** ("commercial rounding", kaufmännisches Runden, the
 * usual rule for VAT in France and Germany). A line's amount (quantity × unit price) is rounded
 * once to the minor unit, its discount is subtracted, then its tax is computed on that and rounded
 * once. Document totals are plain sums of the rounded lines, so sum of lines = total, always, and the
 * tax per rate shown on a document is the sum of its lines' tax at that rate.
 *
 * Quantities carry up to 3 decimals and tax rates up to 4 (exact decimal text, never floats):
 * arithmetic runs on bigint.
 */

/** Largest amount any single figure may reach (10^13 minor units: 100 billion euros), far inside 2^53. */
export const MAX_MINOR = 10_000_000_000_000;

export class MoneyError extends Error {}

/** Digits after the decimal point of a currency's minor unit (ISO 4217): EUR 2, JPY 0, BHD 3. */
export function currencyExponent(code: string): number {
  const entry = currencyCodes.code(code.toUpperCase());
  if (!entry) throw new MoneyError(`Unknown currency ${code}`);
  return entry.digits;
}

export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && currencyCodes.code(code) !== undefined;
}

/** numerator / denominator rounded half away from zero (denominator > 0). */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new MoneyError('denominator must be positive');
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = (n * 2n + denominator) / (denominator * 2n);
  return negative ? -q : q;
}

const QUANTITY = /^\d{1,9}(\.\d{1,3})?$/;
const RATE = /^\d{1,3}(\.\d{1,4})?$/;

/** "2.5" → 2500n (thousandths). Non-negative, at most 3 decimals. */
export function quantityThousandths(quantity: string): bigint {
  if (!QUANTITY.test(quantity)) throw new MoneyError(`Quantity ${quantity} is not a number with at most 3 decimals`);
  const [whole, fraction = ''] = quantity.split('.');
  return BigInt(whole) * 1000n + BigInt(fraction.padEnd(3, '0'));
}

/** "20" → 200000n, "5.5" → 55000n (ten-thousandths of a percent). Between 0 and 100. */
export function rateTenThousandths(ratePercent: string): bigint {
  if (!RATE.test(ratePercent)) throw new MoneyError(`Tax rate ${ratePercent} is not a percentage with at most 4 decimals`);
  const [whole, fraction = ''] = ratePercent.split('.');
  const value = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(4, '0'));
  if (value > 1_000_000n) throw new MoneyError(`Tax rate ${ratePercent} is over 100 %`);
  return value;
}

export interface LineInput {
  /** Decimal text, up to 3 decimals. */
  quantity: string;
  unitPriceMinor: number;
  /** Subtracted from quantity × unit price (minor units, before tax). Default 0. */
  discountMinor?: number;
  /** Decimal text, up to 4 decimals; "0" for none. */
  taxRatePercent: string;
  /** True: the price includes the tax, which is carved out; false: the tax is added on top. */
  taxInclusive: boolean;
}

export interface LineTotals {
  /** quantity × unit price, rounded once. */
  amountMinor: number;
  netMinor: number;
  taxMinor: number;
  grossMinor: number;
}

const toNumber = (value: bigint, what: string): number => {
  if (value > BigInt(MAX_MINOR) || value < -BigInt(MAX_MINOR)) throw new MoneyError(`${what} exceeds ${MAX_MINOR} minor units`);
  return Number(value);
};

/** One line's figures (see the rounding rule at the top). A discount larger than the amount is refused. */
export function lineTotals(line: LineInput): LineTotals {
  if (!Number.isSafeInteger(line.unitPriceMinor) || line.unitPriceMinor < 0) throw new MoneyError('unitPriceMinor must be a non-negative integer');
  const discount = line.discountMinor ?? 0;
  if (!Number.isSafeInteger(discount) || discount < 0) throw new MoneyError('discountMinor must be a non-negative integer');
  const amount = divideRounded(quantityThousandths(line.quantity) * BigInt(line.unitPriceMinor), 1000n);
  const afterDiscount = amount - BigInt(discount);
  if (afterDiscount < 0n) throw new MoneyError('The discount is larger than the line amount');
  const rate = rateTenThousandths(line.taxRatePercent);
  let net: bigint;
  let tax: bigint;
  if (line.taxInclusive) {
    // gross = afterDiscount; net = gross / (1 + rate), rounded; the tax is the rest, so net + tax = gross exactly.
    net = divideRounded(afterDiscount * 1_000_000n, 1_000_000n + rate);
    tax = afterDiscount - net;
  } else {
    net = afterDiscount;
    tax = divideRounded(afterDiscount * rate, 1_000_000n);
  }
  return {
    amountMinor: toNumber(amount, 'The line amount'),
    netMinor: toNumber(net, 'The line net'),
    taxMinor: toNumber(tax, 'The line tax'),
    grossMinor: toNumber(net + tax, 'The line total'),
  };
}

export interface TaxBreakdown {
  /** Decimal text as given by the lines ("20", "5.5"). */
  ratePercent: string;
  /** Sum of the net of the lines at this rate. */
  netMinor: number;
  taxMinor: number;
}

export interface DocumentTotals {
  lines: LineTotals[];
  subtotalMinor: number;
  taxMinor: number;
  totalMinor: number;
  /** One entry per distinct rate, highest rate first. */
  byRate: TaxBreakdown[];
}

/** A document's totals: sums of its rounded lines, and the tax per rate. */
export function documentTotals(lines: LineInput[]): DocumentTotals {
  const computed = lines.map(lineTotals);
  const byRate = new Map<bigint, { ratePercent: string; net: bigint; tax: bigint }>();
  let net = 0n;
  let tax = 0n;
  computed.forEach((totals, i) => {
    const rate = rateTenThousandths(lines[i].taxRatePercent);
    const entry = byRate.get(rate) ?? { ratePercent: normalizeRate(lines[i].taxRatePercent), net: 0n, tax: 0n };
    entry.net += BigInt(totals.netMinor);
    entry.tax += BigInt(totals.taxMinor);
    byRate.set(rate, entry);
    net += BigInt(totals.netMinor);
    tax += BigInt(totals.taxMinor);
  });
  return {
    lines: computed,
    subtotalMinor: toNumber(net, 'The subtotal'),
    taxMinor: toNumber(tax, 'The tax'),
    totalMinor: toNumber(net + tax, 'The total'),
    byRate: [...byRate.entries()]
      .sort(([a], [b]) => (a > b ? -1 : a < b ? 1 : 0))
      .map(([, e]) => ({ ratePercent: e.ratePercent, netMinor: toNumber(e.net, 'A tax base'), taxMinor: toNumber(e.tax, 'A tax amount') })),
  };
}

/**
 * Splits `totalMinor` into `parts` amounts that differ by at most one minor unit and sum exactly to it
 * (the first ones get the extra units): equal split payments, percentage deposits spread over shares.
 */
export function splitEvenly(totalMinor: number, parts: number): number[] {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) throw new MoneyError('The amount must be a non-negative integer');
  if (!Number.isInteger(parts) || parts < 1) throw new MoneyError('parts must be a positive integer');
  const base = Math.floor(totalMinor / parts);
  const extra = totalMinor - base * parts;
  return Array.from({ length: parts }, (_, i) => base + (i < extra ? 1 : 0));
}

/**
 * `totalMinor` split in proportion to `weights` (non-negative, at least one above 0), summing exactly to
 * it: each part is rounded down, then the units left over go to the largest remainders (ties: the
 * earlier part). A weight of 0 gets 0. Re-splitting a balance over payers' open amounts.
 */
export function splitInProportion(totalMinor: number, weights: number[]): number[] {
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0) throw new MoneyError('The amount must be a non-negative integer');
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new MoneyError('weights must be non-negative integers');
  const sum = weights.reduce((a, w) => a + BigInt(w), 0n);
  if (sum === 0n) throw new MoneyError('at least one weight must be above 0');
  const exact = weights.map((w) => BigInt(totalMinor) * BigInt(w));
  const parts = exact.map((e) => Number(e / sum));
  let left = totalMinor - parts.reduce((a, p) => a + p, 0);
  const byRemainder = exact.map((e, i) => ({ i, rest: e % sum })).sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const { i } of byRemainder) {
    if (left === 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

/** `percent` (decimal text, up to 4 decimals) of an amount, rounded half away from zero: percentage deposits. */
export function percentOf(amountMinor: number, percent: string): number {
  return toNumber(divideRounded(BigInt(amountMinor) * rateTenThousandths(percent), 1_000_000n), 'The share');
}

/** "20.0000" → "20", "5.50" → "5.5". */
export function normalizeRate(ratePercent: string): string {
  return ratePercent.includes('.') ? ratePercent.replace(/0+$/, '').replace(/\.$/, '') : ratePercent.replace(/^0+(?=\d)/, '');
}

/** Formats minor units as a decimal string in the currency's exponent: (123456, 'EUR') → "1234.56"; (500, 'JPY') → "500". */
export function formatMinor(amountMinor: number, currency: string): string {
  const exponent = currencyExponent(currency);
  const negative = amountMinor < 0;
  const digits = String(Math.abs(amountMinor)).padStart(exponent + 1, '0');
  const text = exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`;
  return negative ? `-${text}` : text;
}

/**
 * The inverse of formatMinor: a decimal string in the currency's exponent back to minor units
 * ("1234.56" EUR → 123456; "500" JPY → 500). At most `exponent` decimals (more would need rounding,
 * which only the line rules may do); the result stays within MAX_MINOR.
 */
export function parseMinor(text: string, currency: string): number {
  const exponent = currencyExponent(currency);
  const match = /^(-?)(\d{1,14})(?:\.(\d+))?$/.exec(text);
  if (!match || (match[3] !== undefined && (exponent === 0 || match[3].length > exponent))) {
    throw new MoneyError(`${text} is not an amount of ${currency} (at most ${exponent} decimals)`);
  }
  const [, sign, whole, fraction = ''] = match;
  const value = BigInt(whole) * 10n ** BigInt(exponent) + BigInt(fraction.padEnd(exponent, '0') || '0');
  return toNumber(sign ? -value : value, 'The amount');
}

/**
 * Splits `amountMinor` (any sign) across `weights` (non-negative integers) in proportion, by the
 * largest-remainder method: each part is the floor of its exact share, and the units left over go to
 * the largest remainders (ties: the first weight). The parts sum exactly to the amount. All weights 0
 * → everything to the first part. Reports: a payment spread over an invoice's rooms or engineers.
 */
export function allocateProportionally(amountMinor: number, weights: number[]): number[] {
  if (!Number.isSafeInteger(amountMinor)) throw new MoneyError('The amount must be an integer');
  if (!weights.length) throw new MoneyError('weights must not be empty');
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new MoneyError('weights must be non-negative integers');
  const total = weights.reduce((sum, w) => sum + BigInt(w), 0n);
  if (total === 0n) return weights.map((_, i) => (i === 0 ? amountMinor : 0));
  const sign = amountMinor < 0 ? -1n : 1n;
  const amount = BigInt(Math.abs(amountMinor));
  const exact = weights.map((w) => amount * BigInt(w));
  const parts = exact.map((e) => e / total);
  let left = amount - parts.reduce((sum, p) => sum + p, 0n);
  const byRemainder = exact.map((e, i) => ({ i, remainder: e % total })).sort((a, b) => (a.remainder === b.remainder ? a.i - b.i : a.remainder > b.remainder ? -1 : 1));
  for (const { i } of byRemainder) {
    if (left === 0n) break;
    parts[i] += 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p * sign));
}
