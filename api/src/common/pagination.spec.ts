import { decodeCursor, decodeNewestFirstCursor, encodeCursor, likePattern } from './pagination.js';
import { ValidationProblem } from './problem.js';

/** decodeCursor is shared by every cursor-paginated list, whatever its key's shape and its own checks. */
describe('decodeCursor', () => {
  const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

  it('returns the key of a cursor the API encoded', () => {
    expect(decodeCursor(encodeCursor(['b', 7]), ['string', 'number'])).toEqual(['b', 7]);
  });

  it.each([
    ['fewer elements than the key has', [7]],
    ['more elements than the key has', [7, 'b', 'extra']],
    ['elements of the wrong types', ['b', 7]],
    ['an object instead of an array', { 0: 7, 1: 'b' }],
    ['a NUL in a string element', [7, 'b\u0000']],
  ])('refuses a cursor with %s as a 400 naming the cursor', (_label, key) => {
    expect(() => decodeCursor(cursorOf(key), ['number', 'string'])).toThrow(ValidationProblem);
  });

  it('refuses what is not base64url JSON', () => {
    expect(() => decodeCursor('not json', ['string'])).toThrow(ValidationProblem);
  });
});

/** Invoices, quotes and projects page newest first; the key goes back into SQL as a timestamptz. */
describe('decodeNewestFirstCursor', () => {
  const id = '0b6c1a38-2a8e-4c8e-9a4f-3f7d1c2b5e60';

  it('returns the instant and id of a cursor the API encoded', () => {
    expect(decodeNewestFirstCursor(encodeCursor(['2026-11-26T19:34:42.123456Z', id]))).toEqual({ key: '2026-11-26T19:34:42.123456Z', id });
  });

  it.each([
    ['a date PostgreSQL cannot read back (30 February)', ['2026-02-30T10:00:00.000000Z', id]],
    ['year 0', ['0000-01-01T00:00:00.000000Z', id]],
    ['an instant to the millisecond only', ['2026-11-26T19:34:42.123Z', id]],
    ['an id that is not a UUID', ['2026-11-26T19:34:42.123456Z', 'x']],
  ])('refuses %s as a 400 naming the cursor', (_label, key) => {
    expect(() => decodeNewestFirstCursor(encodeCursor(key))).toThrow(ValidationProblem);
  });
});

describe('likePattern', () => {
  it('escapes the LIKE wildcards and the escape character', () => {
    expect(likePattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});
