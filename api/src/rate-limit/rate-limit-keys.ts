import { createHash } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { normalizeEmail } from '../auth/auth.service.js';

/**
 * The account part of a login limiter key: a hash of the normalized email, so counters (possibly in
 * the control database) never hold addresses, keys stay short, and an unknown email is counted
 * exactly like a known one (no 429 difference tells them apart).
 */
export function accountKey(email: string): string {
  return createHash('sha256').update(normalizeEmail(email)).digest('base64url').slice(0, 32);
}

/**
 * The client part of a key. IPv4 as is; IPv6 by its /64, because one subscriber is usually handed
 * a whole /64 and could otherwise rotate addresses to get a fresh budget per request.
 */
export function clientAddressKey(ip: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) return mapped[1];
  const address = ip.split('%')[0]; // drop a zone id
  if (!isIPv6(address)) return ip;
  const [head, tail] = address.split('::');
  // An embedded IPv4 tail (::ffff:1.2.3.4 style) takes the room of two groups.
  const groups = (part: string | undefined) => (part ? part.split(':').flatMap((g) => (g.includes('.') ? ['0', '0'] : [g])) : []);
  const [h, t] = [groups(head), groups(tail)];
  const all = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t];
  return `${all.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}
