import { slugify } from './slug.js';

describe('slugify', () => {
  it('lower-cases, strips accents and joins words with single dashes', () => {
    expect(slugify('  Blue Room Studios ')).toBe('blue-room-studios');
    expect(slugify('Café Sónico -- Récords!')).toBe('cafe-sonico-records');
  });

  it('falls back to "studio" when nothing usable is left', () => {
    expect(slugify('🎸🎸')).toBe('studio');
    expect(slugify('---')).toBe('studio');
  });

  it('caps the length without a trailing dash', () => {
    const slug = slugify('a'.repeat(59) + ' bcd');
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug.endsWith('-')).toBe(false);
  });
});
