import { Injectable } from '@nestjs/common';
import { isEmail, isUUID } from 'class-validator';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { roleAtLeast } from '../auth/access.decorator.js';
import type { Caller } from '../auth/auth.types.js';
import { DEFAULT_PAGE_SIZE, decodeCursor, encodeCursor, invalidCursor } from '../common/pagination.js';
import { ValidationProblem } from '../common/problem.js';
import { byWeekday } from '../studio/dto/daily-hours.dto.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type {
  CreateTimeOffDto,
  EngineerListDto,
  ListEngineersQueryDto,
  ListTimeOffQueryDto,
  TimeOffDto,
  TimeOffListDto,
  WorkingHoursDto,
} from './dto/engineer.dto.js';
import { EngineerMembers } from './engineer-members.js';
import { EngineerProfile } from './engineer-profile.entity.js';
import { EngineerTimeOff } from './engineer-time-off.entity.js';
import { ownScheduleOnly, timeOffNotFound } from './engineers.errors.js';

const toTimeOffDto = (t: EngineerTimeOff): TimeOffDto => ({
  id: t.id,
  userId: t.userId,
  startsAt: t.startsAt.toISOString(),
  endsAt: t.endsAt.toISOString(),
  reason: t.reason,
  createdAt: t.createdAt.toISOString(),
});

/** Engineers' schedules: weekly working hours and time off, for members with the engineer role or higher. */
@Injectable()
export class EngineersService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly members: EngineerMembers,
  ) {}

  /** Ordered by email, with each engineer's working hours (empty until set). */
  async list(caller: Caller, query: ListEngineersQueryDto): Promise<EngineerListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    let after: string | undefined;
    if (query.cursor) {
      [after] = decodeCursor(query.cursor, ['string']) as [string];
      if (!isEmail(after)) throw invalidCursor();
    }
    const rows = await this.members.page(caller, after, limit + 1);
    const page = rows.slice(0, limit);
    const profiles = page.length
      ? await this.tenant.withRepository(EngineerProfile, (repo) => repo.findBy({ userId: In(page.map((m) => m.userId)) }))
      : [];
    const hours = new Map(profiles.map((p) => [p.userId, byWeekday(p.workingHours)]));
    return {
      items: page.map((m) => ({ ...m, workingHours: hours.get(m.userId) ?? [] })),
      nextCursor: rows.length > limit ? encodeCursor([page[page.length - 1].email]) : null,
    };
  }

  async workingHours(caller: Caller, userId: string): Promise<WorkingHoursDto> {
    await this.members.find(caller, userId);
    const profile = await this.tenant.withRepository(EngineerProfile, (repo) => repo.findOneBy({ userId }));
    return { userId, workingHours: profile ? byWeekday(profile.workingHours) : [] };
  }

  async setWorkingHours(caller: Caller, userId: string, workingHours: WorkingHoursDto['workingHours']): Promise<WorkingHoursDto> {
    await this.mayChange(caller, userId);
    const week = byWeekday(workingHours);
    await this.tenant.transaction(async (m) => {
      await m.getRepository(EngineerProfile).upsert({ userId, workingHours: week }, { conflictPaths: ['userId'] });
      await this.audit.record(m, { action: 'engineer.working_hours_set', targetType: 'engineer', targetId: userId, details: { weekdays: week.map((h) => h.weekday) } });
    });
    return { userId, workingHours: week };
  }

  /** Ordered by start, then id; `endsAfter` keeps current and later periods. */
  async listTimeOff(caller: Caller, userId: string, query: ListTimeOffQueryDto): Promise<TimeOffListDto> {
    await this.members.find(caller, userId);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeTimeOffCursor(query.cursor) : undefined;
    const rows = await this.tenant.withRepository(EngineerTimeOff, (repo) => {
      const qb = repo.createQueryBuilder('t').where('t.user_id = :userId', { userId });
      if (query.endsAfter) qb.andWhere('t.ends_at > :endsAfter', { endsAfter: new Date(query.endsAfter) });
      // starts_at comes from a JavaScript Date (millisecond precision), so the cursor's ISO string is exact.
      if (after) qb.andWhere('(t.starts_at, t.id) > (:afterStart, :afterId)', { afterStart: new Date(after.startsAt), afterId: after.id });
      return qb.orderBy('t.starts_at', 'ASC').addOrderBy('t.id', 'ASC').limit(limit + 1).getMany();
    });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return { items: page.map(toTimeOffDto), nextCursor: rows.length > limit ? encodeCursor([last.startsAt.toISOString(), last.id]) : null };
  }

  async addTimeOff(caller: Caller, userId: string, dto: CreateTimeOffDto): Promise<TimeOffDto> {
    await this.mayChange(caller, userId);
    const startsAt = DateTime.fromISO(dto.startsAt, { setZone: true });
    const endsAt = DateTime.fromISO(dto.endsAt, { setZone: true });
    if (endsAt <= startsAt) throw new ValidationProblem([{ field: 'endsAt', messages: ['endsAt must be after startsAt'] }]);
    if (endsAt > startsAt.plus({ years: 1 })) throw new ValidationProblem([{ field: 'endsAt', messages: ['time off may last at most a year'] }]);
    const saved = await this.tenant.transaction(async (m) => {
      const repo = m.getRepository(EngineerTimeOff);
      const row = await repo.save(repo.create({ userId, startsAt: startsAt.toJSDate(), endsAt: endsAt.toJSDate(), reason: dto.reason ?? null }));
      await this.audit.record(m, {
        action: 'engineer.time_off_added',
        targetType: 'engineer',
        targetId: userId,
        details: { timeOffId: row.id, startsAt: row.startsAt.toISOString(), endsAt: row.endsAt.toISOString() },
      });
      return repo.findOneByOrFail({ id: row.id });
    });
    return toTimeOffDto(saved);
  }

  async removeTimeOff(caller: Caller, userId: string, id: string): Promise<void> {
    await this.mayChange(caller, userId);
    await this.tenant.transaction(async (m) => {
      const result = await m.getRepository(EngineerTimeOff).delete({ id, userId });
      if (!result.affected) throw timeOffNotFound();
      await this.audit.record(m, { action: 'engineer.time_off_removed', targetType: 'engineer', targetId: userId, details: { timeOffId: id } });
    });
  }

  /**
   * Engineers change their own schedule, admins anyone's. Checked before whether `userId` is an engineer,
   * so an engineer learns nothing about other ids; then the engineer must exist in the studio (404).
   */
  private async mayChange(caller: Caller, userId: string): Promise<void> {
    if (caller.userId !== userId && !roleAtLeast(caller.role, 'admin')) throw ownScheduleOnly();
    await this.members.find(caller, userId);
  }
}

function decodeTimeOffCursor(cursor: string): { startsAt: string; id: string } {
  const [startsAt, id] = decodeCursor(cursor, ['string', 'string']) as [string, string];
  if (!isUUID(id) || !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(startsAt) || Number.isNaN(Date.parse(startsAt))) throw invalidCursor();
  return { startsAt, id };
}
