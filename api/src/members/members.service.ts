import { Inject, Injectable } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, invalidCursor } from '../common/pagination.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { Role } from '../control/membership.entity.js';
import type { Caller, Principal } from '../auth/auth.types.js';
import type { ListMembersQueryDto, MemberDto, MemberListDto } from './dto/member.dto.js';
import { lastOwner, memberNotFound, ownersOnly } from './members.errors.js';

interface MemberRow {
  id: string;
  user_id: string;
  name: string;
  email: string;
  role: Role;
  created_at: Date;
}

const toDto = (r: MemberRow): MemberDto => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  email: r.email,
  role: r.role,
  createdAt: new Date(r.created_at).toISOString(),
});

/**
 * Serializes every change to one studio's memberships (transaction-scoped row lock on the
 * organization) and returns how many owners it has and the caller's role as it is now: two owners
 * demoting each other at once must not both succeed and leave the studio without one, and a role
 * taken away a moment ago must not still count (the guard read it before the lock).
 */
export async function lockStudioOwners(m: EntityManager, caller: Caller): Promise<{ owners: number; callerRole: Role | undefined }> {
  await m.query(`SELECT id FROM organizations WHERE id = $1 FOR UPDATE`, [caller.organizationId]);
  const [{ owners, caller_role: callerRole }] = (await m.query(
    `SELECT count(*) FILTER (WHERE role = 'owner')::int AS owners, max(role::text) FILTER (WHERE user_id = $2) AS caller_role
       FROM memberships WHERE organization_id = $1`,
    [caller.organizationId, caller.userId],
  )) as Array<{ owners: number; caller_role: Role | null }>;
  return { owners, callerRole: callerRole ?? undefined };
}

/** The studio's members (control database memberships) and their roles. */
@Injectable()
export class MembersService {
  constructor(
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly audit: AuditLog,
  ) {}

  /** Ordered by email (unique), which is also the cursor. */
  async list(caller: Caller, query: ListMembersQueryDto): Promise<MemberListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [caller.organizationId, limit + 1];
    let after = '';
    if (query.cursor) {
      const [email] = decodeCursor(query.cursor, ['string']) as [string];
      if (!isEmail(email)) throw invalidCursor();
      params.push(email);
      after = 'AND u.email > $3';
    }
    const rows: MemberRow[] = await this.control.query(
      `SELECT m.id, m.user_id, u.name, u.email, m.role, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.organization_id = $1 ${after}
        ORDER BY u.email
        LIMIT $2`,
      params,
    );
    const page = rows.slice(0, limit);
    return { items: page.map(toDto), nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1].email]) : null };
  }

  /** Changes a member's role. Owners alone touch the owner role; the last owner stays one. */
  async changeRole(caller: Principal, id: string, role: Role): Promise<MemberDto> {
    const { member } = await this.audit.around(
      caller.organizationId,
      () =>
        this.control.transaction(async (m) => {
          const { owners, callerRole } = await lockStudioOwners(m, caller);
          const target = await this.find(m, caller.organizationId, id);
          if ((target.role === 'owner' || role === 'owner') && callerRole !== 'owner') throw ownersOnly();
          if (target.role === 'owner' && role !== 'owner' && owners <= 1) throw lastOwner();
          await m.query(`UPDATE memberships SET role = $2 WHERE id = $1`, [id, role]);
          return { member: { ...target, role }, from: target.role };
        }),
      ({ member, from }) => ({
        action: 'member.role_changed',
        targetType: 'member',
        targetId: member.id,
        details: { userId: member.user_id, email: member.email, from, to: member.role },
      }),
    );
    return toDto(member);
  }

  /**
   * Removes a member: their membership, at once every session they have in this studio, and the API
   * keys they created here (a key works only while its creator is a member; deleting them also keeps
   * them from coming back to life if the person is invited again).
   */
  async remove(caller: Principal, id: string): Promise<void> {
    await this.audit.around(
      caller.organizationId,
      () =>
        this.control.transaction(async (m) => {
          const { owners, callerRole } = await lockStudioOwners(m, caller);
          const target = await this.find(m, caller.organizationId, id);
          if (target.role === 'owner' && callerRole !== 'owner') throw ownersOnly();
          if (target.role === 'owner' && owners <= 1) throw lastOwner();
          await m.query(`DELETE FROM memberships WHERE id = $1`, [id]);
          const [, sessions] = (await m.query(`DELETE FROM sessions WHERE user_id = $1 AND organization_id = $2`, [target.user_id, caller.organizationId])) as [
            unknown,
            number,
          ];
          const [, keys] = (await m.query(`DELETE FROM api_keys WHERE created_by = $1 AND organization_id = $2`, [target.user_id, caller.organizationId])) as [
            unknown,
            number,
          ];
          return { target, sessions, keys };
        }),
      ({ target, sessions, keys }) => ({
        action: 'member.removed',
        targetType: 'member',
        targetId: target.id,
        details: { userId: target.user_id, email: target.email, role: target.role, sessionsEnded: sessions, apiKeysDeleted: keys },
      }),
    );
  }

  /** The membership `id` of this studio, locked; another studio's id is a 404 like an unknown one. */
  private async find(m: EntityManager, organizationId: string, id: string): Promise<MemberRow> {
    const [row] = (await m.query(
      `SELECT m.id, m.user_id, u.name, u.email, m.role, m.created_at
         FROM memberships m JOIN users u ON u.id = m.user_id
        WHERE m.id = $1 AND m.organization_id = $2
        FOR UPDATE OF m`,
      [id, organizationId],
    )) as MemberRow[];
    if (!row) throw memberNotFound();
    return row;
  }
}
