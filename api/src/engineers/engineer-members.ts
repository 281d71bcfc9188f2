import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Caller } from '../auth/auth.types.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { Role } from '../control/membership.entity.js';
import { engineerNotFound } from './engineers.errors.js';

/** Roles that can run a session: the engineers of the studio's schedule. */
export const ENGINEER_ROLES: readonly Role[] = ['engineer', 'admin', 'owner'];

export interface EngineerMember {
  userId: string;
  name: string;
  email: string;
  role: Role;
}

interface Row {
  user_id: string;
  name: string;
  email: string;
  role: Role;
}

const toMember = (r: Row): EngineerMember => ({ userId: r.user_id, name: r.name, email: r.email, role: r.role });

/**
 * Who the engineers are: members of the caller's studio with the engineer role or higher, read from
 * the control database (memberships, users). Their schedules live in the studio's own database.
 */
@Injectable()
export class EngineerMembers {
  constructor(@Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource) {}

  /** A page ordered by email (unique), after `afterEmail`. */
  async page(caller: Caller, afterEmail: string | undefined, limit: number): Promise<EngineerMember[]> {
    const rows: Row[] = await this.control.query(
      `SELECT m.user_id, u.name, u.email, m.role
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = $1 AND m.role::text = ANY($2) AND ($3::text IS NULL OR u.email > $3)
        ORDER BY u.email
        LIMIT $4`,
      [caller.organizationId, ENGINEER_ROLES, afterEmail ?? null, limit],
    );
    return rows.map(toMember);
  }

  /** The engineer `userId` of the caller's studio; a non-member, a viewer or another studio's user is a 404. */
  async find(caller: Caller, userId: string): Promise<EngineerMember> {
    const [row] = (await this.control.query(
      `SELECT m.user_id, u.name, u.email, m.role
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = $1 AND m.user_id = $2 AND m.role::text = ANY($3)`,
      [caller.organizationId, userId, ENGINEER_ROLES],
    )) as Row[];
    if (!row) throw engineerNotFound();
    return toMember(row);
  }
}
