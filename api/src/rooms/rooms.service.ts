import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log.service.js';
import { decodeNameCursor, nameOrderedPage, namePage } from '../common/name-order.js';
import { DEFAULT_PAGE_SIZE } from '../common/pagination.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { ValidationProblem } from '../common/problem.js';
import { byWeekday } from '../studio/dto/daily-hours.dto.js';
import { StudioSettingsService } from '../studio/studio-settings.service.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { CreateRoomDto, ListRoomsQueryDto, UpdateRoomDto } from './dto/room-input.dto.js';
import type { RoomDto, RoomListDto } from './dto/room.dto.js';
import { Room } from './room.entity.js';
import { roomInUse, roomNameTaken, roomNotFound } from './rooms.errors.js';
import { matchingRooms } from './rooms-list.query.js';

const EDITABLE = [
  'name',
  'description',
  'capacity',
  'hourlyRateMinor',
  'dayRateMinor',
  'currency',
  'colour',
  'active',
  'minNoticeMinutes',
  'minLengthMinutes',
  'maxLengthMinutes',
  'openingHours',
] as const;

export function toRoomDto(r: Room): RoomDto {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    capacity: r.capacity,
    hourlyRateMinor: r.hourlyRateMinor,
    dayRateMinor: r.dayRateMinor,
    currency: r.currency,
    colour: r.colour,
    active: r.active,
    minNoticeMinutes: r.minNoticeMinutes,
    minLengthMinutes: r.minLengthMinutes,
    maxLengthMinutes: r.maxLengthMinutes,
    openingHours: r.openingHours && byWeekday(r.openingHours),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}

/** Copies the fields sent onto the room, normalised (colour in lower case, hours by weekday). */
function apply(room: Room, dto: UpdateRoomDto): string[] {
  const fields = EDITABLE.filter((key) => dto[key] !== undefined);
  for (const key of fields) (room as unknown as Record<string, unknown>)[key] = dto[key];
  if (dto.colour !== undefined) room.colour = dto.colour.toLowerCase();
  if (dto.openingHours) room.openingHours = byWeekday(dto.openingHours);
  // A rule between two fields, checked on the room as it will be (a PATCH may send only one of them).
  if (room.maxLengthMinutes !== null && room.maxLengthMinutes < room.minLengthMinutes) {
    throw new ValidationProblem([{ field: 'maxLengthMinutes', messages: ['maxLengthMinutes must be at least minLengthMinutes'] }]);
  }
  return fields;
}

/** The unique index on lower(name) is what guarantees the name is free, even between two concurrent writes. */
async function mapConflicts<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (pgErrorCode(err) === '23505') throw roomNameTaken();
    if (pgErrorCode(err) === '23503') throw roomInUse();
    throw err;
  }
}

/** The studio's rooms. */
@Injectable()
export class RoomsService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
    private readonly studio: StudioSettingsService,
  ) {}

  async create(dto: CreateRoomDto): Promise<RoomDto> {
    const saved = await mapConflicts(() =>
      this.tenant.transaction(async (m) => {
        const repo = m.getRepository(Room);
        // The length rule is checked before the insert, so it needs the column defaults the database would give.
        const room = repo.create({ currency: dto.currency ?? (await this.studio.get(m)).defaultCurrency, minLengthMinutes: 30, maxLengthMinutes: null, openingHours: null });
        apply(room, dto);
        const created = await repo.save(room);
        await this.audit.record(m, { action: 'room.created', targetType: 'room', targetId: created.id, details: { name: created.name } });
        return repo.findOneByOrFail({ id: created.id });
      }),
    );
    return toRoomDto(saved);
  }

  async list(query: ListRoomsQueryDto): Promise<RoomListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeNameCursor(query.cursor) : undefined;
    const page = await this.tenant.withRepository(Room, (repo) => namePage(nameOrderedPage(matchingRooms(repo, query), 'r', after, limit + 1), limit));
    return { items: page.items.map(toRoomDto), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<RoomDto> {
    const room = await this.tenant.withRepository(Room, (repo) => repo.findOneBy({ id }));
    if (!room) throw roomNotFound();
    return toRoomDto(room);
  }

  /** Read-modify-write with the row locked, so concurrent patches keep each other's fields. */
  async update(id: string, dto: UpdateRoomDto): Promise<RoomDto> {
    const updated = await mapConflicts(() =>
      this.tenant.transaction(async (m) => {
        const repo = m.getRepository(Room);
        const room = await lockRoom(m, id);
        const fields = apply(room, dto);
        await repo.save(room);
        await this.audit.record(m, { action: 'room.updated', targetType: 'room', targetId: id, details: { fields: [...fields].sort() } });
        return repo.findOneByOrFail({ id });
      }),
    );
    return toRoomDto(updated);
  }

  /**
   * Deletes the room for good. Equipment kept in it becomes portable (home room cleared). Once bookings
   * refer to rooms, the database refuses to delete a room they use: that is a 409 saying to deactivate it.
   */
  async remove(id: string): Promise<void> {
    await mapConflicts(() =>
      this.tenant.transaction(async (m) => {
        const room = await lockRoom(m, id);
        await m.getRepository(Room).delete({ id });
        await this.audit.record(m, { action: 'room.deleted', targetType: 'room', targetId: id, details: { name: room.name } });
      }),
    );
  }
}

async function lockRoom(m: EntityManager, id: string): Promise<Room> {
  const room = await m.getRepository(Room).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  if (!room) throw roomNotFound();
  return room;
}
