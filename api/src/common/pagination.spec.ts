import { decodeCursor, encodeCursor } from './pagination.js';
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
