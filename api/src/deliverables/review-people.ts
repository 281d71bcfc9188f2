import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Caller } from '../auth/auth.types.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';

/**
 * Staff names for the people of a review (who decided a version, who writes a comment). Users live in
 * the control database, not the studio's: one query per response for all the ids it names.
 */
@Injectable()
export class ReviewPeople {
  private readonly logger = new Logger('ReviewPeople');

  constructor(@Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource) {}

  /**
   * user id → name, for the ids that still exist. Names only decorate a response, often one built after
   * its write committed: if the control database can't answer, the names are left out (null in the
   * response) rather than turning a committed write into a 500 that a client would retry.
   */
  async staffNames(userIds: Iterable<string | null>): Promise<Map<string, string>> {
    const ids = [...new Set([...userIds].filter((id): id is string => id !== null))];
    if (!ids.length) return new Map();
    try {
      const rows = (await this.control.query(`SELECT id, name FROM users WHERE id = ANY($1::uuid[])`, [ids])) as Array<{ id: string; name: string }>;
      return new Map(rows.map((r) => [r.id, r.name]));
    } catch (err) {
      this.logger.warn({ err: String(err) }, 'Staff names unavailable: answering without them');
      return new Map();
    }
  }

  /** The caller's display name, stored with what they write (an API key acts for the member who made it). */
  async callerName(caller: Caller): Promise<string> {
    const names = await this.staffNames([caller.userId]);
    return names.get(caller.userId) ?? caller.label ?? 'Staff';
  }
}
