import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { Clock } from '../common/clock.js';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { TypedSql } from '../tenancy/typed-sql.js';
import { sessionLookupQuery } from './session-lookup.sql.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { Session } from '../control/session.entity.js';
import type { Principal } from './auth.types.js';

/** Sliding idle expiry is written at most this often, so reads don't each cost a write. */
const TOUCH_INTERVAL_MS = 60_000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Rows one clean-up statement deletes at most. */
export const CLEANUP_BATCH_SIZE = 5_000;

/**
 * Deletes the rows of `table` matching `condition` (fixed SQL, never input) a batch per statement,
 * until a batch comes back short. One DELETE over a backlog (the job stopped for a while, a flood of
 * sign-ins) could outlast DB_STATEMENT_TIMEOUT_MS, be rolled back and never get through; batches
 * each finish quickly and hold their row locks briefly. Returns how many rows went.
 */
export async function deleteInBatches(ds: DataSource, table: string, condition: string): Promise<number> {
  let total = 0;
  for (;;) {
    const [, count] = (await ds.query(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${condition} LIMIT $1)`, [CLEANUP_BATCH_SIZE])) as [
      unknown,
      number,
    ];
    total += count;
    if (count < CLEANUP_BATCH_SIZE) return total;
  }
}

/** Issue 7, accounts-mail: where a session was started from, shown in the user's list of sessions. */
export interface SessionClient {
  userAgent?: string;
  ip?: string;
}

/**
 * Server-side staff sessions. The cookie carries a 256-bit random token; the database only its
 * SHA-256. A token is found by the hash in a unique index, never compared with a stored secret in
 * code: no early-exit string comparison can leak how much of a guess matched (timing-safe by
 * construction, as for the one-time tokens). Expiry is judged against the injected Clock.
 */
@Injectable()
export class SessionsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly clock: Clock,
    private readonly sql: TypedSql,
  ) {
    this.lookup = sessionLookupQuery(config.subscription);
  }

  private readonly lookup: ReturnType<typeof sessionLookupQuery>;

  /** Creates a session (inside the caller's transaction when given) and returns its token. */
  async create(userId: string, organizationId: string, manager: EntityManager = this.control.manager, client: SessionClient = {}): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now().getTime();
    await manager.getRepository(Session).insert({
      tokenHash: hashToken(token),
      userId,
      organizationId,
      lastSeenAt: new Date(now),
      idleExpiresAt: new Date(now + this.config.session.idleTimeoutMs),
      expiresAt: new Date(now + this.config.session.absoluteTimeoutMs),
      createdAt: new Date(now),
      userAgent: client.userAgent?.slice(0, 512) || null,
      ipAddress: client.ip?.slice(0, 64) || null,
    });
    return token;
  }

  /** Resolves a live session to its principal, extending its idle expiry; null when unknown or expired. */
  async resolve(token: string): Promise<Principal | null> {
    const now = this.clock.now();
    // Issue 14, perf: through TypedSql (prepared, no QueryRunner per call): it runs on every staff request.
    const row = await this.sql.first(this.control, this.lookup, [hashToken(token), now]);
    if (!row) return null;
    if (now.getTime() - new Date(row.last_seen_at).getTime() > TOUCH_INTERVAL_MS) {
      await this.control.query(
        `UPDATE sessions SET last_seen_at = $3, idle_expires_at = LEAST(expires_at, $3::timestamptz + $2 * interval '1 millisecond') WHERE id = $1`,
        [row.session_id, this.config.session.idleTimeoutMs, now],
      );
    }
    return {
      sessionId: row.session_id,
      userId: row.user_id,
      organizationId: row.organization_id,
      role: row.role,
      label: row.email, // issue 7: the audit log's actor label
      studioSuspended: row.studio_suspended,
      studioReadOnly: row.studio_read_only,
    };
  }

  /** Deletes sessions past their idle or absolute expiry (maintenance job). Returns how many. */
  async deleteExpired(): Promise<number> {
    return deleteInBatches(this.control, 'sessions', 'expires_at <= now() OR idle_expires_at <= now()');
  }

  async revokeToken(token: string): Promise<void> {
    await this.control.getRepository(Session).delete({ tokenHash: hashToken(token) });
  }

  async revoke(sessionId: string): Promise<void> {
    await this.control.getRepository(Session).delete({ id: sessionId });
  }

  // --- issue 7, accounts-mail: the user's own sessions ---

  /** Ends every session of a user except `keepSessionId` (password change, sign out elsewhere); all of them without it (reset). */
  async revokeAllOf(userId: string, keepSessionId?: string, manager: EntityManager = this.control.manager): Promise<number> {
    const [, count] = (await manager.query(`DELETE FROM sessions WHERE user_id = $1 AND ($2::uuid IS NULL OR id <> $2::uuid)`, [
      userId,
      keepSessionId ?? null,
    ])) as [unknown, number];
    return count;
  }
}
