import { accountKey, clientAddressKey } from './rate-limit-keys.js';

describe('rate-limit keys', () => {
  it('keys an account by its normalized email, without the address in the clear', () => {
    expect(accountKey(' Owner@Studio.TEST ')).toBe(accountKey('owner@studio.test'));
    expect(accountKey('owner@studio.test')).not.toContain('owner');
    expect(accountKey('a@studio.test')).not.toBe(accountKey('b@studio.test'));
  });

  it('keys IPv4 by address and IPv4-mapped IPv6 as the IPv4 address', () => {
    expect(clientAddressKey('203.0.113.9')).toBe('203.0.113.9');
    expect(clientAddressKey('::ffff:203.0.113.9')).toBe('203.0.113.9');
  });

  it('keys IPv6 by its /64, so rotating addresses inside one allocation gains nothing', () => {
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002::')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddressKey('::1')).toBe('0:0:0:0::/64');
    expect(clientAddressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});
