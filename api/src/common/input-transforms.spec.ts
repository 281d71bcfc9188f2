import { blankToNull, commaList, trim } from './input-transforms.js';

/** The shared @Transform rules: every input DTO relies on these meaning the same thing. */
describe('input transforms', () => {
  it('trim drops surrounding white space and leaves other values alone', () => {
    expect(trim({ value: '  Studio A ' })).toBe('Studio A');
    expect(trim({ value: 5 })).toBe(5);
  });

  it('blankToNull turns a blank text into null (cleared) and trims any other', () => {
    expect(blankToNull({ value: '   ' })).toBeNull();
    expect(blankToNull({ value: '' })).toBeNull();
    expect(blankToNull({ value: ' note ' })).toBe('note');
    expect(blankToNull({ value: undefined })).toBeUndefined();
  });

  it('commaList reads repeated and comma-separated query values alike', () => {
    expect(commaList({ value: 'a,b' })).toEqual(['a', 'b']);
    expect(commaList({ value: ['a,b', 'c'] })).toEqual(['a', 'b', 'c']);
  });
});
