import { findUnsafeInput, isStorableText, MAX_JSON_DEPTH } from './input-safety.js';

describe('input safety', () => {
  it('text with NUL or an unpaired surrogate cannot be stored; proper pairs can', () => {
    expect(isStorableText('plain 🎸 text')).toBe(true);
    expect(isStorableText('a\u0000b')).toBe(false);
    expect(isStorableText('\ud800')).toBe(false);
    expect(isStorableText('x\udfffy')).toBe(false);
  });

  it('names the first offending field, key or level', () => {
    expect(findUnsafeInput({ name: 'ok', tags: ['a', 'b\u0000'] })).toEqual({ field: 'tags.1', reason: 'bad-text' });
    expect(findUnsafeInput({ nested: { 'k\u0000': 1 } })).toEqual({ field: 'nested', reason: 'bad-text' });
    expect(findUnsafeInput({ a: 1, b: [null, true, 2.5, 'fine'] })).toBeUndefined();
  });

  it('accepts MAX_JSON_DEPTH levels and refuses one more, without recursing into the rest', () => {
    const nest = (levels: number) => JSON.parse('['.repeat(levels) + ']'.repeat(levels)) as unknown;
    expect(findUnsafeInput(nest(MAX_JSON_DEPTH))).toBeUndefined();
    expect(findUnsafeInput(nest(MAX_JSON_DEPTH + 1))?.reason).toBe('too-deep');
    expect(findUnsafeInput(nest(100_000))?.reason).toBe('too-deep');
  });
});
