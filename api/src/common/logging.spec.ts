import { redactQuery } from './logging.js';

describe('redactQuery', () => {
  it('keeps the path and the query keys, never the values', () => {
    expect(redactQuery('/api/v1/clients')).toBe('/api/v1/clients');
    expect(redactQuery('/api/v1/clients?q=jane%40example.org&limit=5')).toBe('/api/v1/clients?q=[redacted]&limit=[redacted]');
    expect(redactQuery('/x?flag&=v&&')).toBe('/x?flag=[redacted]&=[redacted]');
  });
});
