import type { EntityManager } from 'typeorm';
import { OneTimeTokenTable } from '../auth/one-time-token-table.js';
import type { PortalTokenPurpose } from './portal-token.entity.js';

/**
 * Issue 12, portal: one-time links of portal accounts, in the studio's database, through the same
 * OneTimeTokenTable as staff tokens. A disabled account's links cannot be spent. Every function takes
 * the tenant transaction of its caller.
 */
const PORTAL_TOKENS = new OneTimeTokenTable({
  table: 'client_portal_tokens',
  ownerColumn: 'account_id',
  ownerMaySpend: `EXISTS (SELECT 1 FROM client_portal_accounts a WHERE a.id = t.account_id AND a.disabled_at IS NULL)`,
});

/** Issues a token, replacing the account's unused ones of the same purpose (only the latest link works). */
export function issuePortalToken(m: EntityManager, accountId: string, purpose: PortalTokenPurpose, ttlMs: number, now: Date): Promise<string> {
  return PORTAL_TOKENS.issue(m, accountId, purpose, new Date(now.getTime() + ttlMs));
}

/** Spends a token: its account, or null when unknown, of another purpose, expired, used, or its account is disabled. */
export function consumePortalToken(m: EntityManager, token: string, purpose: PortalTokenPurpose, now: Date): Promise<string | null> {
  return PORTAL_TOKENS.consume(m, token, purpose, now);
}
