import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Caller } from '../auth/auth.types.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';

/**
 * Staff names for the people of a review (who decided a version, who writes a comment). Users live in
 * the control database, not the studio's: one query per response for all the ids it names.
 */
@Injectable()
export class ReviewPeople {
  constructor(@Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource) {}

  /** user id → name, for the ids that still exist. */
  async staffNames(userIds: Iterable<string | null>): Promise<Map<string, string>> {
    const ids = [...new Set([...userIds].filter((id): id is string => id !== null))];
    if (!ids.length) return new Map();
    const rows = (await this.control.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ id: string; name: string }>;
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  /** The caller's display name, stored with what they write (an API key acts for the member who made it). */
  async callerName(caller: Caller): Promise<string> {
    const names = await this.staffNames([caller.userId]);
    return names.get(caller.userId) ?? caller.label ?? 'Staff';
  }
}
