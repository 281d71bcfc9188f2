import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, invalidCursor } from '../common/pagination.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import { AuditEntry } from './audit-entry.entity.js';
import type { AuditEntryDto, AuditListDto, ListAuditQueryDto } from './dto/audit.dto.js';

const toDto = (e: AuditEntry): AuditEntryDto => ({
  id: e.id,
  occurredAt: e.occurredAt.toISOString(),
  actor: { type: e.actorType, id: e.actorId, label: e.actorLabel },
  action: e.action,
  target: { type: e.targetType, id: e.targetId },
  ip: e.ip,
  details: e.details,
});

/** Reading the studio's audit log (writing goes through AuditLog). */
@Injectable()
export class AuditService {
  constructor(private readonly tenant: TenantConnection) {}

  /**
   * Newest first, by (occurred_at, id). The cursor carries occurred_at in whole microseconds, as
   * PostgreSQL stores it (a JavaScript Date would round to milliseconds and skip or repeat rows).
   */
  async list(query: ListAuditQueryDto): Promise<AuditListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const { entities, raw } = await this.tenant.withRepository(AuditEntry, (repo) => {
      const qb = repo
        .createQueryBuilder('a')
        .addSelect(`(extract(epoch FROM a.occurred_at) * 1000000)::bigint::text`, 'sort_us')
        .orderBy('a.occurred_at', 'DESC')
        .addOrderBy('a.id', 'DESC')
        .limit(limit + 1);
      if (query.action) qb.andWhere('a.action = :action', { action: query.action });
      if (query.actorId) qb.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
      if (query.actorType) qb.andWhere('a.actor_type = :actorType', { actorType: query.actorType });
      if (query.targetType) qb.andWhere('a.target_type = :targetType', { targetType: query.targetType });
      if (query.targetId) qb.andWhere('a.target_id = :targetId', { targetId: query.targetId });
      if (query.from) qb.andWhere('a.occurred_at >= :from', { from: query.from });
      if (query.to) qb.andWhere('a.occurred_at < :to', { to: query.to });
      if (query.cursor) {
        const [us, id] = decodeCursor(query.cursor, ['string', 'string']) as [string, string];
        if (!/^[0-9]{1,18}$/.test(us) || !isUUID(id)) throw invalidCursor();
        qb.andWhere(`(a.occurred_at, a.id) < (timestamptz 'epoch' + CAST(:us AS bigint) * interval '1 microsecond', :id)`, { us, id });
      }
      return qb.getRawAndEntities<{ sort_us: string }>();
    });
    const page = entities.slice(0, limit);
    const last = raw[page.length - 1];
    return {
      items: page.map(toDto),
      nextCursor: entities.length > limit && last ? encodeCursor([last.sort_us, page[page.length - 1].id]) : null,
    };
  }
}
