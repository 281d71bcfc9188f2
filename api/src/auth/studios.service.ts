import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ProblemException } from '../common/problem.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import type { Role } from '../control/membership.entity.js';
import { AuthService } from './auth.service.js';
import type { Principal } from './auth.types.js';
import type { AuthSessionDto } from './dto/auth-session.dto.js';
import { MAX_STUDIOS_LISTED, type StudioListDto } from './dto/studios.dto.js';
import { type SessionClient, SessionsService } from './sessions.service.js';

/** Not a member: the same 404 as a studio that does not exist, so ids of other studios reveal nothing. */
const notYourStudio = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'You are not a member of a studio with this id.');

/** The studios a user belongs to, and moving the session from one to another. */
@Injectable()
export class StudiosService {
  constructor(
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
    private readonly sessions: SessionsService,
    private readonly auth: AuthService,
  ) {}

  async list(principal: Principal): Promise<StudioListDto> {
    const rows: Array<{ id: string; name: string; slug: string; role: Role }> = await this.control.query(
      `SELECT o.id, o.name, o.slug, m.role
         FROM memberships m JOIN organizations o ON o.id = m.organization_id
        WHERE m.user_id = $1
        ORDER BY lower(o.name), o.id
        LIMIT $2`,
      [principal.userId, MAX_STUDIOS_LISTED],
    );
    return {
      items: rows.map((r) => ({ organization: { id: r.id, name: r.name, slug: r.slug }, role: r.role, current: r.id === principal.organizationId })),
    };
  }

  /**
   * A new session in `organizationId` and the end of the current one, in one transaction (a fresh
   * token, like a login: the old one is dead once this answers), recording its client like a login.
   */
  async switch(principal: Principal, organizationId: string, client: SessionClient = {}): Promise<{ token: string; body: AuthSessionDto }> {
    const { token, role } = await this.control.transaction(async (m) => {
      const [membership] = (await m.query(`SELECT role FROM memberships WHERE user_id = $1 AND organization_id = $2`, [
        principal.userId,
        organizationId,
      ])) as Array<{ role: Role }>;
      if (!membership) throw notYourStudio();
      await m.query(`DELETE FROM sessions WHERE id = $1`, [principal.sessionId]);
      return { token: await this.sessions.create(principal.userId, organizationId, m, client), role: membership.role };
    });
    const { user, organization } = await this.auth.me({ userId: principal.userId, organizationId, role });
    return { token, body: { user, organization } };
  }
}
