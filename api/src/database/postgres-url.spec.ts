import { withCredentials } from './postgres-url.js';

describe('withCredentials', () => {
  it('replaces the user and password of a URL', () => {
    expect(withCredentials('postgres://admin:secret@db.internal:5432/rsm', 'tenant', 'p@ss')).toBe('postgres://tenant:p%40ss@db.internal:5432/rsm');
  });

  it('a socket URL with a host placeholder keeps the user', () => {
    expect(withCredentials('postgres://localhost/rsm?host=/var/run/postgresql', 'tenant', 'pw')).toBe('postgres://tenant:pw@localhost/rsm?host=/var/run/postgresql');
  });

  // The URL API silently ignores credentials on a URL without a host: the pool would sign in as the OS user.
  it('refuses a URL without a host instead of dropping the user', () => {
    expect(() => withCredentials('postgres:///rsm?host=/var/run/postgresql', 'tenant', 'pw')).toThrow(/without a host/);
  });
});
