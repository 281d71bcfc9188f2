import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, type AppConfig } from '../config/app-config.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { Role } from '../control/membership.entity.js';
import { lesserRole } from './access.decorator.js';
import type { ApiKeyPrincipal } from './auth.types.js';
import { STUDIO_SUSPENDED_SQL, studioReadOnlySql } from './studio-standing.js';

/** `rsm_live_<12 hex prefix>_<43 base64url secret>`: the prefix finds the row, the secret proves it. */
const KEY_FORMAT = /^rsm_live_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

/** Last used is written at most this often, so a busy integration does not cost a write per request. */
const LAST_USED_INTERVAL_MS = 60_000;

const sha256 = (secret: string) => createHash('sha256').update(secret).digest('hex');

/** A new key: what the caller is shown once, and what is stored. */
export function newApiKeySecret(): { key: string; prefix: string; secretHash: string } {
  const prefix = randomBytes(6).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { key: `rsm_live_${prefix}_${secret}`, prefix, secretHash: sha256(secret) };
}

/**
 * Turns an `Authorization: Bearer` API key into a caller (used by the session strategy, so one
 * mechanism authenticates every staff request). The secret is compared in constant time against the
 * stored SHA-256 (a fast hash suits a 256-bit random secret; argon2 is for guessable passwords). A key
 * works while it is not expired and its creator is still a member; its role is capped at the
 * creator's current role, so demoting a member demotes their keys.
 */
@Injectable()
export class ApiKeyCredentials {
  constructor(
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async resolve(presented: string): Promise<ApiKeyPrincipal | null> {
    const match = KEY_FORMAT.exec(presented);
    if (!match) return null;
    const [, prefix, secret] = match;
    const rows: Array<{
      id: string;
      organization_id: string;
      created_by: string;
      secret_hash: string;
      key_role: Role;
      member_role: Role;
      last_used_at: Date | null;
      studio_suspended: boolean;
      studio_read_only: boolean;
      name: string;
    }> = await this.control.query(
      `SELECT k.id, k.name, k.organization_id, k.created_by, k.secret_hash, k.role AS key_role, m.role AS member_role, k.last_used_at,
              ${STUDIO_SUSPENDED_SQL} AS studio_suspended, ${studioReadOnlySql(this.config.subscription)} AS studio_read_only
         FROM api_keys k
         JOIN memberships m ON m.organization_id = k.organization_id AND m.user_id = k.created_by
         JOIN organizations o ON o.id = k.organization_id
        WHERE k.prefix = $1 AND (k.expires_at IS NULL OR k.expires_at > now())`,
      [prefix],
    );
    const row = rows[0];
    if (!row || !timingSafeEqual(Buffer.from(sha256(secret), 'hex'), Buffer.from(row.secret_hash, 'hex'))) return null;
    if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > LAST_USED_INTERVAL_MS) {
      await this.control.query(
        `UPDATE api_keys SET last_used_at = now() WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - $2 * interval '1 millisecond')`,
        [row.id, LAST_USED_INTERVAL_MS],
      );
    }
    return {
      userId: row.created_by,
      organizationId: row.organization_id,
      role: lesserRole(row.key_role, row.member_role),
      apiKeyId: row.id,
      label: row.name,
      studioSuspended: row.studio_suspended,
      studioReadOnly: row.studio_read_only,
    };
  }
}
