import type { EntityManager } from 'typeorm';
import type { Caller, PortalPrincipal } from '../auth/auth.types.js';
import { versionNotFound } from './deliverables.errors.js';

/**
 * Who reviews a version: a staff caller, or (issue 12) a client's portal account. The decision rules,
 * the row lock, the rounds and the events are the same for both (versions.service.ts); a client only
 * reaches versions of its own client's projects, checked inside the same transaction as the change.
 */
export type Reviewer = { kind: 'staff'; caller: Caller } | { kind: 'client'; principal: PortalPrincipal };

export const staffReviewer = (caller: Caller): Reviewer => ({ kind: 'staff', caller });
export const clientReviewer = (principal: PortalPrincipal): Reviewer => ({ kind: 'client', principal });

/** The staff user behind a reviewer (the outbox's actor_id names members only: a client's action has none). */
export const reviewerUserId = (r: Reviewer): string | null => (r.kind === 'staff' ? r.caller.userId : null);
export const reviewerPortalAccountId = (r: Reviewer): string | null => (r.kind === 'client' ? r.principal.accountId : null);

/** For a client: the version must belong to a project of its own client, else a 404 like an unknown id. */
export async function checkReviewerReaches(m: EntityManager, reviewer: Reviewer, versionId: string): Promise<void> {
  if (reviewer.kind === 'staff') return;
  const rows = (await m.query(
    `SELECT 1 FROM deliverable_versions v JOIN deliverables d ON d.id = v.deliverable_id JOIN projects p ON p.id = d.project_id
      WHERE v.id = $1 AND p.client_id = $2`,
    [versionId, reviewer.principal.clientId],
  )) as unknown[];
  if (!rows.length) throw versionNotFound();
}

/** The name stored with what a client writes: the account's name, else its email (read in the studio's database). */
export async function clientReviewerName(m: EntityManager, principal: PortalPrincipal): Promise<string> {
  const [row] = (await m.query(`SELECT coalesce(nullif(btrim(name), ''), email) AS name FROM client_portal_accounts WHERE id = $1`, [principal.accountId])) as Array<{ name: string }>;
  return row?.name ?? principal.email;
}
