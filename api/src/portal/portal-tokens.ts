import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { hashToken } from '../auth/sessions.service.js';
import type { PortalTokenPurpose } from './portal-token.entity.js';

/**
 * Issue 12, portal: one-time links of portal accounts, in the studio's database, on the pattern of the
 * staff OneTimeTokens (auth/one-time-tokens.service.ts): 256-bit, stored as SHA-256 and found by it in
 * a unique index, one UPDATE to spend. Every function takes the tenant transaction of its caller.
 */

/** Issues a token, replacing the account's unused ones of the same purpose (only the latest link works). */
export async function issuePortalToken(m: EntityManager, accountId: string, purpose: PortalTokenPurpose, ttlMs: number, now: Date): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await m.query(`DELETE FROM client_portal_tokens WHERE account_id = $1 AND purpose = $2 AND used_at IS NULL`, [accountId, purpose]);
  await m.query(`INSERT INTO client_portal_tokens (token_hash, account_id, purpose, expires_at) VALUES ($1, $2, $3, $4)`, [
    hashToken(token),
    accountId,
    purpose,
    new Date(now.getTime() + ttlMs),
  ]);
  return token;
}

/**
 * Spends a token: marks it used and returns its account, or null when it is unknown, of another
 * purpose, expired, used, or its account is disabled. One UPDATE, so two uses cannot both succeed.
 */
export async function consumePortalToken(m: EntityManager, token: string, purpose: PortalTokenPurpose, now: Date): Promise<string | null> {
  const [rows] = (await m.query(
    `UPDATE client_portal_tokens t SET used_at = $3
       FROM client_portal_accounts a
      WHERE a.id = t.account_id AND a.disabled_at IS NULL
        AND t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3
      RETURNING t.account_id`,
    [hashToken(token), purpose, now],
  )) as [Array<{ account_id: string }>, number];
  return rows[0]?.account_id ?? null;
}
