import fc from 'fast-check';
import { numberFormatProblem, renderNumber } from './numbering.js';

describe('numbering: formats', () => {
  it.each([
    ['INV-{YYYY}-{seq:4}', 'yearly'],
    ['F{YY}{MM}/{seq}', 'yearly'],
    ['{seq}', 'never'],
    ['Rechnung #{seq:6}', 'never'],
    ['AB.{YYYY}_{seq:12}', 'yearly'],
  ] as const)('%s is usable with a %s reset', (format, reset) => {
    expect(numberFormatProblem(format, reset)).toBeNull();
  });

  it.each([
    ['', 'never', /1 to 40/],
    ['x'.repeat(41) + '{seq}', 'never', /1 to 40/],
    ['INV-{YYYY}', 'yearly', /\{seq\}/],
    ['{seq}-{seq}', 'never', /exactly once/],
    ['{seq:13}', 'never', /12 digits/],
    ['INV-{seq}', 'yearly', /\{YYYY\} or \{YY\}/],
    ['INV-{MM}-{seq}', 'yearly', /\{YYYY\} or \{YY\}/],
    ['INV-{DD}-{seq}', 'never', /unknown \{token\}/],
    ['INV-{seq', 'never', /seq|unknown/],
    ['INV<{seq}>', 'never', /letters, digits/],
    ['INV\u0000{seq}', 'never', /letters, digits/],
  ] as const)('%j with a %s reset is refused (%s)', (format, reset, message) => {
    expect(numberFormatProblem(format, reset)).toMatch(message);
  });

  it('renders the tokens from the issue date and pads the sequence', () => {
    expect(renderNumber('INV-{YYYY}-{seq:4}', 42, '2026-03-12')).toBe('INV-2026-0042');
    expect(renderNumber('F{YY}{MM}/{seq}', 7, '2031-11-02')).toBe('F3111/7');
    expect(renderNumber('{seq:2}', 12345, '2026-01-01')).toBe('12345'); // padding never cuts
    expect(renderNumber('Q {YYYY} {YYYY} {seq:3}', 1, '2027-06-30')).toBe('Q 2027 2027 001');
  });

  it('distinct sequence values always render distinct numbers for a usable format (same date)', () => {
    const format = fc.constantFrom('INV-{YYYY}-{seq:4}', '{seq}', 'F{YY}{MM}/{seq:2}', 'X{seq:12}');
    fc.assert(
      fc.property(format, fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 1, max: 10_000_000 }), (f, a, b) => {
        fc.pre(a !== b);
        expect(renderNumber(f, a, '2026-05-01')).not.toBe(renderNumber(f, b, '2026-05-01'));
        expect(renderNumber(f, a, '2026-05-01')).toContain(String(a));
      }),
    );
  });
});
