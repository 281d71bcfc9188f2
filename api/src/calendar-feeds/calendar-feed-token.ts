import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, base64url (43 characters): the secret part of a feed URL. */
export const newFeedToken = () => randomBytes(32).toString('base64url');

export const feedTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * `<organization id>.<token>.ics`: the studio part tells the API which database to look in, without a
 * session; it is never trusted alone, the token must be found (by its hash) in THAT studio's database.
 */
export const feedKey = (organizationId: string, token: string) => `${organizationId}.${token}.ics`;

const FEED_KEY = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\.([A-Za-z0-9_-]{43})\.ics$/;

export function parseFeedKey(key: string): { organizationId: string; token: string } | undefined {
  const match = FEED_KEY.exec(key);
  return match ? { organizationId: match[1], token: match[2] } : undefined;
}

/** Members whose sessions a feed may publish: those who can be assigned to bookings (as BookingReferences.engineers). */
export const ENGINEER_ROLES = ['engineer', 'admin', 'owner'];
