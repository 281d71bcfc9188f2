import type { AppConfig } from '../config/app-config.js';
import { type TypedQuery, typedQuery } from '../tenancy/typed-sql.js';
import { STUDIO_SUSPENDED_SQL, studioReadOnlySql } from './studio-standing.js';
import type { Principal } from './auth.types.js';

export interface SessionLookupRow {
  session_id: string;
  user_id: string;
  organization_id: string;
  role: Principal['role'];
  last_seen_at: Date;
  studio_suspended: boolean;
  studio_read_only: boolean;
  email: string;
}

/**
 * Issue 14, perf: the session lookup every staff request makes, as fixed SQL for TypedSql (a named
 * prepared statement by default). The studio's standing comes with the session, in the same query:
 * suspension costs no extra round trip. Parameters: $1 the token's SHA-256 (hex), $2 now. Kept in its
 * own module, free of Nest, so bench/'s raw baseline issues exactly this statement.
 */
export function sessionLookupQuery(subscription: AppConfig['subscription']): TypedQuery<readonly [string, Date], SessionLookupRow, SessionLookupRow> {
  return typedQuery(
    'session_lookup',
    `SELECT s.id AS session_id, s.user_id, s.organization_id, m.role, s.last_seen_at,
            ${STUDIO_SUSPENDED_SQL} AS studio_suspended, ${studioReadOnlySql(subscription)} AS studio_read_only, u.email
       FROM sessions s
       JOIN memberships m ON m.organization_id = s.organization_id AND m.user_id = s.user_id
       JOIN organizations o ON o.id = s.organization_id
       JOIN users u ON u.id = s.user_id
      WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.idle_expires_at > $2`,
  );
}
