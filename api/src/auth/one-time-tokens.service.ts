import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager, IsNull } from 'typeorm';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { OneTimeToken, type OneTimeTokenPurpose } from '../control/one-time-token.entity.js';
import { deleteInBatches, hashToken } from './sessions.service.js';

/** Single-use secrets sent to users by email. The database holds only their SHA-256. */
@Injectable()
export class OneTimeTokens {
  constructor(@Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource) {}

  /**
   * Issues a 256-bit token for `userId` (inside the caller's transaction when given). A new token
   * replaces the user's unused ones of the same purpose, so only the latest link works.
   */
  async issue(userId: string, purpose: OneTimeTokenPurpose, ttlMs: number, manager?: EntityManager): Promise<string> {
    if (!manager) return this.control.transaction((m) => this.issue(userId, purpose, ttlMs, m));
    // One issue per user at a time: two at once would each delete the other's old token, then both
    // insert, leaving two links that work.
    await manager.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [userId]);
    const token = randomBytes(32).toString('base64url');
    const repository = manager.getRepository(OneTimeToken);
    await repository.delete({ userId, purpose, usedAt: IsNull() });
    await repository.insert({ tokenHash: hashToken(token), purpose, userId, expiresAt: new Date(Date.now() + ttlMs), usedAt: null });
    return token;
  }

  /**
   * Spends a token: marks it used and returns its user, or null when it is unknown, expired or
   * already used. One UPDATE, so two concurrent uses cannot both succeed.
   */
  async consume(token: string, purpose: OneTimeTokenPurpose, manager: EntityManager = this.control.manager): Promise<string | null> {
    const [rows] = (await manager.query(
      `UPDATE one_time_tokens SET used_at = now()
        WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
        RETURNING user_id`,
      [hashToken(token), purpose],
    )) as [Array<{ user_id: string }>, number];
    return rows[0]?.user_id ?? null;
  }

  /** The user a live token (unused, unexpired) belongs to, without spending it; null otherwise. */
  async holder(token: string, purpose: OneTimeTokenPurpose): Promise<string | null> {
    const rows = (await this.control.query(
      `SELECT user_id FROM one_time_tokens WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
      [hashToken(token), purpose],
    )) as Array<{ user_id: string }>;
    return rows[0]?.user_id ?? null;
  }

  /** Deletes used and expired tokens (maintenance job). Returns how many. */
  async deleteSpent(): Promise<number> {
    return deleteInBatches(this.control, 'one_time_tokens', 'used_at IS NOT NULL OR expires_at <= now()');
  }
}
