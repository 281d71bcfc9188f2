import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { roleAtLeast } from '../auth/access.decorator.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { ProblemException } from '../common/problem.js';
import { RequestContext } from '../common/request-context.js';
import { CONTROL_DATA_SOURCE } from '../control/control-database.js';
import { Room } from '../rooms/room.entity.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { CalendarFeed, type CalendarFeedKind } from './calendar-feed.entity.js';
import { ENGINEER_ROLES, feedKey, feedTokenHash, newFeedToken } from './calendar-feed-token.js';
import type { CalendarFeedCreatedDto } from './dto/calendar-feed.dto.js';


const notFound = (what: string) => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', `No ${what} with this id in your studio.`);

/** Issue 9 (booking-extras): creating, rotating and revoking the secret ICS feed URLs of rooms and engineers. */
@Injectable()
export class CalendarFeedsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly context: RequestContext,
    private readonly audit: AuditLog,
    @Inject(CONTROL_DATA_SOURCE) private readonly control: DataSource,
  ) {}

  /**
   * A new feed for the resource; the previous live one (if any) is revoked in the same transaction, so a
   * resource has at most one working URL (also guaranteed by the partial unique index UQ_calendar_feeds_live).
   */
  async create(kind: CalendarFeedKind, resourceId: string, publicUrl: string): Promise<CalendarFeedCreatedDto> {
    await this.checkResource(kind, resourceId);
    const token = newFeedToken();
    const feed = await this.rotate(kind, resourceId, token);
    return { id: feed.id, url: `${publicUrl}/api/v1/calendar-feeds/${feedKey(this.tenant.tenantId, token)}`, createdAt: feed.createdAt.toISOString() };
  }

  /**
   * Two simultaneous creations for one resource both revoke nothing the other has committed, and the second
   * insert meets the first's live row in UQ_calendar_feeds_live (23505): it runs again, now revoking that
   * one, so the latest request wins like any rotation instead of failing.
   */
  private async rotate(kind: CalendarFeedKind, resourceId: string, token: string, attempt = 1): Promise<CalendarFeed> {
    return this.tenant.transaction(async (m) => {
      const repo = m.getRepository(CalendarFeed);
      if (kind === 'room' && !(await m.getRepository(Room).existsBy({ id: resourceId }))) throw notFound('room');
      await repo.update({ kind, resourceId, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
      const created = await repo.save(repo.create({ kind, resourceId, tokenHash: feedTokenHash(token), createdBy: this.context.principal()?.userId ?? null, revokedAt: null }));
      await this.audit.record(m, { action: 'calendar_feed.created', targetType: 'calendar_feed', targetId: created.id, details: { kind, resourceId } });
      return created;
    }).catch((err: unknown) => {
      if (pgErrorCode(err) === '23505' && attempt < 5) return this.rotate(kind, resourceId, token, attempt + 1);
      throw err;
    });
  }

  /** Revokes the resource's live feed: its URL answers 404 from now on. 404 when there is none. */
  async revoke(kind: CalendarFeedKind, resourceId: string): Promise<void> {
    await this.checkResource(kind, resourceId);
    await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(CalendarFeed);
      const live = await repo.findOneBy({ kind, resourceId, revokedAt: IsNull() });
      if (!live) throw new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'This calendar has no live feed.');
      await repo.update({ id: live.id }, { revokedAt: () => 'now()' });
      await this.audit.record(m, { action: 'calendar_feed.revoked', targetType: 'calendar_feed', targetId: live.id, details: { kind, resourceId } });
    });
  }

  /**
   * Admins and owners manage every feed; an engineer only their own (403 before anything is looked up, so
   * it tells them nothing about other ids). An engineer's feed needs a member with the engineer role or
   * above in this studio (another studio's user reads as unknown: 404).
   */
  private async checkResource(kind: CalendarFeedKind, resourceId: string): Promise<void> {
    if (kind !== 'engineer') return;
    const caller = this.context.principal();
    if (!caller) throw new Error('calendar feeds need a caller');
    if (!roleAtLeast(caller.role, 'admin') && caller.userId !== resourceId) {
      throw new ProblemException(HttpStatus.FORBIDDEN, 'forbidden', "Engineers manage their own calendar feed only; an admin manages everyone's.");
    }
    const rows = (await this.control.query(`SELECT 1 FROM memberships WHERE organization_id = $1 AND user_id = $2 AND role::text = ANY($3::text[])`, [
      this.tenant.tenantId,
      resourceId,
      ENGINEER_ROLES,
    ])) as unknown[];
    if (!rows.length) throw notFound('engineer');
  }
}
