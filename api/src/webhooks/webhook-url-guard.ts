import { HttpStatus } from '@nestjs/common';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { lookup as dnsLookupAsync } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { ProblemException } from '../common/problem.js';

/**
 * Issue 13, webhooks, SSRF: addresses an endpoint may not reach unless WEBHOOKS_ALLOW_PRIVATE_URLS is on:
 * "this network", private (RFC 1918, CGNAT, unique local), loopback, link-local (the cloud metadata
 * address 169.254.169.254), benchmarking, documentation, multicast and reserved, and the IPv6 forms that
 * embed an IPv4 address (NAT64, IPv4-compatible ::a.b.c.d, 6to4 2002::/16), which could name any of those.
 * IPv4-mapped IPv6 (::ffff:127.0.0.1) is checked against the IPv4 ranges by
 * BlockList itself (a ::ffff:0:0/96 rule would block every IPv4 address).
 */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 3],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 127], ['::', 96], ['64:ff9b::', 96], ['2002::', 16], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true; // not an address: never trusted
  return BLOCKED.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export const webhookUrlPrivate = () =>
  new ProblemException(HttpStatus.BAD_REQUEST, 'webhook-url-private', 'The URL resolves to a private, loopback or link-local address, which webhooks may not reach.');
const webhookUrlUnresolvable = (host: string) => new ProblemException(HttpStatus.BAD_REQUEST, 'webhook-url-unresolvable', `The host ${host} could not be resolved.`);

/** The URL's host without IPv6 brackets. */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** At creation and change: refuses a URL whose host is, or resolves to, a blocked address (400 problem). */
export async function assertPublicUrl(url: URL): Promise<void> {
  const host = hostOf(url);
  if (isIP(host)) {
    if (isPrivateAddress(host)) throw webhookUrlPrivate();
    return;
  }
  const addresses = await dnsLookupAsync(host, { all: true }).catch(() => {
    throw webhookUrlUnresolvable(host);
  });
  if (!addresses.length) throw webhookUrlUnresolvable(host);
  if (addresses.some((a) => isPrivateAddress(a.address))) throw webhookUrlPrivate();
}

/** The error of a send refused by the guard (recorded in the delivery log, retried like any failure). */
export class PrivateAddressError extends Error {
  constructor(address: string) {
    super(`refused: ${address} is a private address`);
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * At send: the `lookup` given to the HTTP request, so the address checked is the address connected to
 * (DNS may have changed since the endpoint was created, or answer differently each time: rebinding).
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, '');
    const blocked = addresses.find((a) => isPrivateAddress(a.address));
    if (blocked) return callback(new PrivateAddressError(blocked.address) as NodeJS.ErrnoException, '');
    if (options.all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

/** Whether a send may go to this URL's host literal (an IP in the URL is connected to without a lookup). */
export function literalHostRefused(url: URL): string | null {
  const host = hostOf(url);
  return isIP(host) && isPrivateAddress(host) ? host : null;
}

/**
 * An endpoint URL as records keep it (audit details, the outbox event and notification of a disabled endpoint):
 * its origin only. Receivers often carry a token in the path or query (Slack-style URLs); the full URL stays in
 * the endpoint row alone, shown to the studio's admins.
 */
export function urlForRecords(url: string): string {
  return URL.canParse(url) ? new URL(url).origin : '(invalid URL)';
}
