import fc from 'fast-check';
import currencyCodes from 'currency-codes';
import { MAX_MINOR, currencyExponent, divideRounded, documentTotals, formatMinor, type LineInput, lineTotals, parseMinor, percentOf, rateTenThousandths, splitEvenly } from './money.js';

/**
 * Issue 11: the money rules as properties (fast-check) plus exact examples at the rounding boundaries.
 * Amounts stay far below MAX_MINOR so every generated document is valid.
 */
const decimalText = (maxWhole: number, maxDecimals: number) =>
  fc.tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: maxDecimals }), fc.nat()).map(([whole, decimals, digits]) =>
    decimals === 0 ? String(whole) : `${whole}.${String(digits % 10 ** decimals).padStart(decimals, '0')}`,
  );
const quantity = decimalText(10_000, 3);
/** 0 to 100 % with up to 4 decimals (100 itself included). */
const rate = fc.oneof(decimalText(99, 4), fc.constant('100'), fc.constantFrom('0', '5.5', '20', '7.7', '19.6'));

/** A line at unit prices drawn by `unitPriceMinor`, with a discount of up to its whole amount. */
const lineWith = (unitPriceMinor: fc.Arbitrary<number>): fc.Arbitrary<LineInput> =>
  fc
    .record({ quantity, unitPriceMinor, taxRatePercent: rate, taxInclusive: fc.boolean(), discountShare: fc.double({ min: 0, max: 1, noNaN: true }) })
    .map(({ discountShare, ...l }) => {
      const amount = Number(divideRounded(BigInt(Math.round(Number(l.quantity) * 1000)) * BigInt(l.unitPriceMinor), 1000n));
      return { ...l, discountMinor: Math.floor(amount * discountShare) };
    });
const line = lineWith(fc.integer({ min: 0, max: 10_000_000 }));
const lines = fc.array(line, { maxLength: 30 });

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);

describe('money: properties', () => {
  it('the total is the sum of the lines; the subtotal and the tax are the sums of the lines\' net and tax', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const totals = documentTotals(ls);
        expect(totals.totalMinor).toBe(sum(totals.lines.map((l) => l.grossMinor)));
        expect(totals.subtotalMinor).toBe(sum(totals.lines.map((l) => l.netMinor)));
        expect(totals.taxMinor).toBe(sum(totals.lines.map((l) => l.taxMinor)));
        expect(totals.totalMinor).toBe(totals.subtotalMinor + totals.taxMinor);
      }),
    );
  });

  it('each line: net + tax = gross, and nothing is ever negative', () => {
    fc.assert(
      fc.property(line, (l) => {
        const t = lineTotals(l);
        expect(t.netMinor + t.taxMinor).toBe(t.grossMinor);
        for (const figure of Object.values(t)) expect(figure).toBeGreaterThanOrEqual(0);
        // The discount comes off the amount before tax.
        if (l.taxInclusive) expect(t.grossMinor).toBe(t.amountMinor - (l.discountMinor ?? 0));
        else expect(t.netMinor).toBe(t.amountMinor - (l.discountMinor ?? 0));
      }),
    );
  });

  it('inclusive and exclusive agree: an inclusive line\'s net, taxed exclusively, comes back to its gross within one minor unit', () => {
    fc.assert(
      fc.property(line, (l) => {
        const inclusive = lineTotals({ ...l, taxInclusive: true });
        const exclusive = lineTotals({ quantity: '1', unitPriceMinor: inclusive.netMinor, taxRatePercent: l.taxRatePercent, taxInclusive: false });
        expect(Math.abs(exclusive.grossMinor - inclusive.grossMinor)).toBeLessThanOrEqual(1);
        // At 0 % both modes are the same line.
        if (rateTenThousandths(l.taxRatePercent) === 0n) expect(lineTotals({ ...l, taxInclusive: false })).toEqual(inclusive);
      }),
    );
  });

  it('the tax per rate sums to the tax, the net per rate to the subtotal, one entry per distinct rate, highest first', () => {
    fc.assert(
      fc.property(lines, (ls) => {
        const totals = documentTotals(ls);
        expect(sum(totals.byRate.map((r) => r.taxMinor))).toBe(totals.taxMinor);
        expect(sum(totals.byRate.map((r) => r.netMinor))).toBe(totals.subtotalMinor);
        const rates = totals.byRate.map((r) => rateTenThousandths(r.ratePercent));
        expect(new Set(rates).size).toBe(new Set(ls.map((l) => rateTenThousandths(l.taxRatePercent))).size);
        expect([...rates].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(rates);
      }),
    );
  });

  it('splitEvenly sums exactly, parts differ by at most one (larger ones first), none negative', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_MINOR }), fc.integer({ min: 1, max: 50 }), (total, parts) => {
        const split = splitEvenly(total, parts);
        expect(split).toHaveLength(parts);
        expect(sum(split)).toBe(total);
        expect(Math.max(...split) - Math.min(...split)).toBeLessThanOrEqual(1);
        expect([...split].sort((a, b) => b - a)).toEqual(split);
        expect(Math.min(...split)).toBeGreaterThanOrEqual(0);
      }),
    );
  });

  it('percentOf stays between 0 and the amount, grows with the percentage, and is exact at 0 and 100 %', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000_000 }), rate, rate, (amount, p, q) => {
        const part = percentOf(amount, p);
        expect(part).toBeGreaterThanOrEqual(0);
        expect(part).toBeLessThanOrEqual(amount);
        if (rateTenThousandths(p) <= rateTenThousandths(q)) expect(part).toBeLessThanOrEqual(percentOf(amount, q));
        expect(percentOf(amount, '0')).toBe(0);
        expect(percentOf(amount, '100')).toBe(amount);
      }),
    );
  });

  it('every ISO 4217 currency: formatMinor writes exactly its exponent\'s decimals, and parseMinor reads it back', () => {
    const codes = currencyCodes.codes();
    expect(codes.length).toBeGreaterThan(150);
    expect(new Set(codes.map(currencyExponent))).toEqual(new Set([0, 2, 3, 4]));
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.integer({ min: -MAX_MINOR, max: MAX_MINOR }), (code, amount) => {
        const exponent = currencyExponent(code);
        const text = formatMinor(amount, code);
        expect(text).toMatch(exponent === 0 ? /^-?\d+$/ : new RegExp(`^-?\\d+\\.\\d{${exponent}}$`));
        expect(parseMinor(text, code)).toBe(amount);
      }),
      { numRuns: 2000 },
    );
    for (const code of codes) expect(parseMinor(formatMinor(1, code), code)).toBe(1);
  });

  it('documents in currencies of exponent 0, 2 and 3: lines sum to the total, tax per rate to the tax, and every figure formats and parses back', () => {
    const byExponent = new Map([0, 2, 3].map((e) => [e, currencyCodes.codes().filter((c) => currencyExponent(c) === e)]));
    for (const [e, codes] of byExponent) expect({ e, some: codes.length > 0 }).toEqual({ e, some: true });
    // Prices are drawn in major units plus a fraction of the currency's minor units (JPY 1 234, EUR 12.34,
    // BHD 1.234), so each exponent sees prices of its own scale; at most 10 000 major units × 10 000 × 10
    // lines, doubled by tax, stays under MAX_MINOR.
    const document = fc
      .constantFrom(0, 2, 3)
      .chain((e) =>
        fc.tuple(
          fc.constantFrom(...byExponent.get(e)!),
          fc.array(lineWith(fc.tuple(fc.integer({ min: 0, max: 10_000 }), fc.integer({ min: 0, max: 10 ** e - 1 })).map(([major, minor]) => major * 10 ** e + minor)), { maxLength: 10 }),
        ),
      );
    fc.assert(
      fc.property(document, ([code, ls]) => {
        const exponent = currencyExponent(code);
        const totals = documentTotals(ls);
        expect(sum(totals.lines.map((l) => l.grossMinor))).toBe(totals.totalMinor);
        expect(sum(totals.byRate.map((r) => r.taxMinor))).toBe(totals.taxMinor);
        expect(sum(totals.byRate.map((r) => r.netMinor))).toBe(totals.subtotalMinor);
        // As printed on the document: each line's gross, written in the currency and read back, adds up to the
        // printed total, which reads back to the total.
        const printed = formatMinor(totals.totalMinor, code);
        expect(printed).toMatch(exponent === 0 ? /^\d+$/ : new RegExp(`^\\d+\\.\\d{${exponent}}$`));
        expect(parseMinor(printed, code)).toBe(totals.totalMinor);
        expect(sum(totals.lines.map((l) => parseMinor(formatMinor(l.grossMinor, code), code)))).toBe(parseMinor(printed, code));
        for (const r of totals.byRate) expect(parseMinor(formatMinor(r.taxMinor, code), code)).toBe(r.taxMinor);
      }),
      { numRuns: 500 },
    );
  });
});

describe('money: exact examples', () => {
  it('rounds half away from zero at .5 (not half-even)', () => {
    expect([5n, 15n, 25n, 35n, -5n, -15n, -25n, 14n, 16n, -14n].map((n) => divideRounded(n, 10n))).toEqual([1n, 2n, 3n, 4n, -1n, -2n, -3n, 1n, 2n, -1n]);
    const amount = (q: string, price: number) => lineTotals({ quantity: q, unitPriceMinor: price, taxRatePercent: '0', taxInclusive: false }).amountMinor;
    expect([amount('0.5', 1), amount('2.5', 1), amount('3.5', 1), amount('0.499', 1), amount('1.005', 100), amount('0.125', 4)]).toEqual([1, 3, 4, 0, 101, 1]);
    const tax = (net: number, r: string) => lineTotals({ quantity: '1', unitPriceMinor: net, taxRatePercent: r, taxInclusive: false }).taxMinor;
    expect([tax(5, '10'), tax(15, '10'), tax(25, '10'), tax(4, '12.5'), tax(14, '10')]).toEqual([1, 2, 3, 1, 1]);
    // Inclusive: 5 at 100 % → net 2.5 → 3, tax 2.
    expect(lineTotals({ quantity: '1', unitPriceMinor: 5, taxRatePercent: '100', taxInclusive: true })).toEqual({ amountMinor: 5, netMinor: 3, taxMinor: 2, grossMinor: 5 });
    expect(percentOf(5, '50')).toBe(3);
    expect(percentOf(15, '10')).toBe(2);
  });

  it('a typical invoice: two rates, a discount, an inclusive line', () => {
    const totals = documentTotals([
      { quantity: '2.5', unitPriceMinor: 4000, discountMinor: 1000, taxRatePercent: '20', taxInclusive: false }, // 100.00 − 10.00 = 90.00 + 18.00
      { quantity: '1', unitPriceMinor: 1055, taxRatePercent: '5.5', taxInclusive: true }, // 10.55 incl. → 10.00 + 0.55
      { quantity: '3', unitPriceMinor: 333, taxRatePercent: '20', taxInclusive: false }, // 9.99 + 2.00 (1.998)
    ]);
    expect(totals).toMatchObject({ subtotalMinor: 9000 + 1000 + 999, taxMinor: 1800 + 55 + 200, totalMinor: 13054 });
    expect(totals.byRate).toEqual([{ ratePercent: '20', netMinor: 9999, taxMinor: 2000 }, { ratePercent: '5.5', netMinor: 1000, taxMinor: 55 }]);
  });

  it('formats and parses per exponent', () => {
    expect([formatMinor(123456, 'EUR'), formatMinor(500, 'JPY'), formatMinor(1, 'BHD'), formatMinor(-5, 'EUR'), formatMinor(12345, 'CLF')]).toEqual(['1234.56', '500', '0.001', '-0.05', '1.2345']);
    expect([parseMinor('1234.5', 'EUR'), parseMinor('500', 'JPY'), parseMinor('-0.05', 'EUR')]).toEqual([123450, 500, -5]);
    for (const [text, code] of [['1.234', 'EUR'], ['5.0', 'JPY'], ['1,00', 'EUR'], ['', 'EUR'], ['1e3', 'EUR']]) expect(() => parseMinor(text, code)).toThrow();
  });

  it('refuses what is not money: rates over 100 % or with 5 decimals, discounts over the amount, negative prices', () => {
    expect(() => rateTenThousandths('100.0001')).toThrow();
    expect(() => rateTenThousandths('5.12345')).toThrow();
    expect(() => lineTotals({ quantity: '1', unitPriceMinor: 100, discountMinor: 101, taxRatePercent: '0', taxInclusive: false })).toThrow();
    expect(() => lineTotals({ quantity: '1', unitPriceMinor: -1, taxRatePercent: '0', taxInclusive: false })).toThrow();
    expect(() => lineTotals({ quantity: '-1', unitPriceMinor: 1, taxRatePercent: '0', taxInclusive: false })).toThrow();
    expect(() => splitEvenly(-1, 2)).toThrow();
  });
});
