import { HttpStatus, Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log.service.js';
import { decodeNameCursor, nameOrderedPage, namePage } from '../common/name-order.js';
import { DEFAULT_PAGE_SIZE } from '../common/pagination.js';
import { pgErrorCode } from '../common/pg-errors.js';
import { ProblemException, ValidationProblem } from '../common/problem.js';
import { TenantConnection } from '../tenancy/tenant-connection.js';
import type { CreateEquipmentDto, ListEquipmentQueryDto, UpdateEquipmentDto } from './dto/equipment-input.dto.js';
import type { EquipmentDto, EquipmentListDto } from './dto/equipment.dto.js';
import { Equipment } from './equipment.entity.js';
import { matchingEquipment } from './equipment-list.query.js';

const EDITABLE = ['name', 'category', 'serialNumber', 'homeRoomId', 'status', 'rateMinor', 'rateUnit', 'currency', 'notes'] as const;

const notFound = () => new ProblemException(HttpStatus.NOT_FOUND, 'not-found', 'No equipment with this id in your studio.');
const unknownRoom = () => new ValidationProblem([{ field: 'homeRoomId', messages: ['homeRoomId must be a room of your studio'] }]);
/** Bookings will keep the equipment they used: the database refuses the delete then. */
const inUse = () =>
  new ProblemException(HttpStatus.CONFLICT, 'equipment-in-use', 'Bookings refer to this equipment: retire it instead (PATCH with "status": "retired").');

export function toEquipmentDto(e: Equipment): EquipmentDto {
  return {
    id: e.id,
    name: e.name,
    category: e.category,
    serialNumber: e.serialNumber,
    homeRoomId: e.homeRoomId,
    status: e.status,
    rateMinor: e.rateMinor,
    rateUnit: e.rateUnit,
    currency: e.currency,
    notes: e.notes,
    createdAt: e.createdAt.toISOString(),
    updatedAt: e.updatedAt.toISOString(),
  };
}

/** Copies the fields sent, then checks what relates them on the item as it will be: a rate needs a currency. */
function apply(item: Equipment, dto: UpdateEquipmentDto): string[] {
  const fields = EDITABLE.filter((key) => dto[key] !== undefined);
  for (const key of fields) (item as unknown as Record<string, unknown>)[key] = dto[key];
  if (item.rateMinor !== null && item.rateMinor !== undefined && !item.currency) {
    throw new ValidationProblem([{ field: 'currency', messages: ['currency is required with a rate'] }]);
  }
  return fields;
}

/**
 * The home room must be one of this studio's rooms. The foreign key checks it (another studio's room id
 * is simply unknown in this database), also against a room deleted at the same moment; its refusal
 * rolls the whole write back and becomes a 400 on the field.
 */
async function checkingHomeRoom<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (pgErrorCode(err) === '23503') throw unknownRoom();
    throw err;
  }
}

/** The studio's equipment: microphones, outboard, instruments. */
@Injectable()
export class EquipmentService {
  constructor(
    private readonly tenant: TenantConnection,
    private readonly audit: AuditLog,
  ) {}

  async create(dto: CreateEquipmentDto): Promise<EquipmentDto> {
    const saved = await checkingHomeRoom(() => this.tenant.transaction(async (m) => {
      const repo = m.getRepository(Equipment);
      const item = repo.create({ rateMinor: null, currency: null });
      apply(item, dto);
      const created = await repo.save(item);
      await this.audit.record(m, { action: 'equipment.created', targetType: 'equipment', targetId: created.id, details: { name: created.name } });
      return repo.findOneByOrFail({ id: created.id });
    }));
    return toEquipmentDto(saved);
  }

  async list(query: ListEquipmentQueryDto): Promise<EquipmentListDto> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const after = query.cursor ? decodeNameCursor(query.cursor) : undefined;
    const page = await this.tenant.withRepository(Equipment, (repo) => namePage(nameOrderedPage(matchingEquipment(repo, query), 'e', after, limit + 1), limit));
    return { items: page.items.map(toEquipmentDto), nextCursor: page.nextCursor };
  }

  async get(id: string): Promise<EquipmentDto> {
    const item = await this.tenant.withRepository(Equipment, (repo) => repo.findOneBy({ id }));
    if (!item) throw notFound();
    return toEquipmentDto(item);
  }

  /** Read-modify-write with the row locked, so concurrent patches keep each other's fields. */
  async update(id: string, dto: UpdateEquipmentDto): Promise<EquipmentDto> {
    const updated = await checkingHomeRoom(() => this.tenant.transaction(async (m) => {
      const repo = m.getRepository(Equipment);
      const item = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!item) throw notFound();
      const fields = apply(item, dto);
      await repo.save(item);
      await this.audit.record(m, { action: 'equipment.updated', targetType: 'equipment', targetId: id, details: { fields: [...fields].sort() } });
      return repo.findOneByOrFail({ id });
    }));
    return toEquipmentDto(updated);
  }

  async remove(id: string): Promise<void> {
    try {
      await this.tenant.transaction(async (m) => {
        const result = await m.getRepository(Equipment).delete({ id });
        if (!result.affected) throw notFound();
        await this.audit.record(m, { action: 'equipment.deleted', targetType: 'equipment', targetId: id });
      });
    } catch (err) {
      if (pgErrorCode(err) === '23503') throw inUse();
      throw err;
    }
  }
}
