import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { OneTimeTokenPurpose } from '../control/one-time-token.entity.js';
import { OneTimeTokenTable } from './one-time-token-table.js';
import { deleteInBatches } from './sessions.service.js';

/** Staff tokens: the control database's `one_time_tokens`, held by users. */
const STAFF_TOKENS = new OneTimeTokenTable({ table: 'one_time_tokens', ownerColumn: 'user_id' });

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
    return STAFF_TOKENS.issue(manager, userId, purpose, new Date(Date.now() + ttlMs));
  }

  /**
   * Spends a token: marks it used and returns its user, or null when it is unknown, expired or
   * already used. One UPDATE, so two concurrent uses cannot both succeed.
   */
  async consume(token: string, purpose: OneTimeTokenPurpose, manager: EntityManager = this.control.manager): Promise<string | null> {
    return STAFF_TOKENS.consume(manager, token, purpose);
  }

  /** The user a live token (unused, unexpired) belongs to, without spending it; null otherwise. */
  async holder(token: string, purpose: OneTimeTokenPurpose): Promise<string | null> {
    return STAFF_TOKENS.holder(this.control.manager, token, purpose);
  }

  /** Deletes used and expired tokens (maintenance job). Returns how many. */
  async deleteSpent(): Promise<number> {
    return deleteInBatches(this.control, 'one_time_tokens', 'used_at IS NOT NULL OR expires_at <= now()');
  }
}
