import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { hashToken } from './sessions.service.js';

/** Where a kind of one-time token lives: its table, the column naming its holder, and who may still spend one. */
export interface OneTimeTokenTableSpec {
  table: string;
  /** The column with the holder's id (a user, a portal account). */
  ownerColumn: string;
  /** SQL on the token row aliased `t`, true while its holder may still spend it (e.g. the account is enabled). */
  ownerMaySpend?: string;
}

/**
 * The one implementation of single-use secrets sent by email (staff: `one_time_tokens` in the control
 * database; portal: `client_portal_tokens` in each studio's): 256-bit, only the SHA-256 stored and found
 * through a unique index (no secret compared in code), a new one replaces the holder's unused ones of the
 * same purpose, and spending is one `UPDATE … WHERE used_at IS NULL`, so two uses cannot both succeed.
 * Every method takes the caller's transaction; `now` is the caller's clock (omitted: the database's).
 */
export class OneTimeTokenTable {
  constructor(private readonly spec: OneTimeTokenTableSpec) {}

  /** Issues a token for `ownerId`, replacing its unused ones of the same purpose (only the latest link works). */
  async issue(m: EntityManager, ownerId: string, purpose: string, expiresAt: Date): Promise<string> {
    const { table, ownerColumn } = this.spec;
    const token = randomBytes(32).toString('base64url');
    await m.query(`DELETE FROM ${table} WHERE ${ownerColumn} = $1 AND purpose = $2 AND used_at IS NULL`, [ownerId, purpose]);
    await m.query(`INSERT INTO ${table} (token_hash, ${ownerColumn}, purpose, expires_at) VALUES ($1, $2, $3, $4)`, [hashToken(token), ownerId, purpose, expiresAt]);
    return token;
  }

  /** Spends a token: marks it used and returns its holder, or null when unknown, of another purpose, expired or used. */
  async consume(m: EntityManager, token: string, purpose: string, now?: Date): Promise<string | null> {
    const { table, ownerColumn } = this.spec;
    const [rows] = (await m.query(
      `UPDATE ${table} t SET used_at = COALESCE($3::timestamptz, now())
        WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > COALESCE($3::timestamptz, now())${this.ownerCondition()}
        RETURNING t.${ownerColumn} AS owner`,
      [hashToken(token), purpose, now ?? null],
    )) as [Array<{ owner: string }>, number];
    return rows[0]?.owner ?? null;
  }

  /** The holder of a live token (unused, unexpired), without spending it; null otherwise. */
  async holder(m: EntityManager, token: string, purpose: string, now?: Date): Promise<string | null> {
    const { table, ownerColumn } = this.spec;
    const rows = (await m.query(
      `SELECT t.${ownerColumn} AS owner FROM ${table} t
        WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > COALESCE($3::timestamptz, now())${this.ownerCondition()}`,
      [hashToken(token), purpose, now ?? null],
    )) as Array<{ owner: string }>;
    return rows[0]?.owner ?? null;
  }

  private ownerCondition(): string {
    return this.spec.ownerMaySpend ? ` AND (${this.spec.ownerMaySpend})` : '';
  }
}
