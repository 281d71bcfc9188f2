import { StartupError } from '../database/embedded-preflight.js';
import { requireSupportedPostgres } from './control-database.js';

describe('requireSupportedPostgres', () => {
  it('accepts PostgreSQL 16 and later', () => {
    expect(() => requireSupportedPostgres(160000, '16.0')).not.toThrow();
    expect(() => requireSupportedPostgres(170004, '17.4')).not.toThrow();
  });

  it('refuses PostgreSQL 15 and earlier with one line naming the version found and the minimum', () => {
    const check = () => requireSupportedPostgres(150012, '15.12 (Debian 15.12-0+deb12u2)');
    expect(check).toThrow(StartupError);
    expect(check).toThrow(/^PostgreSQL 15\.12 \(Debian 15\.12-0\+deb12u2\) is too old: Recording Studio Manager needs PostgreSQL 16 or later/);
  });
});
