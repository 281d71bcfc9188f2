import type { Repository, SelectQueryBuilder } from 'typeorm';
import { likePattern } from '../common/pagination.js';
import type { ListEquipmentQueryDto } from './dto/equipment-input.dto.js';
import type { Equipment } from './equipment.entity.js';

/** The equipment matching the list's filters (all of it without any), ordered later by name. */
export function matchingEquipment(repo: Repository<Equipment>, query: ListEquipmentQueryDto): SelectQueryBuilder<Equipment> {
  const qb = repo.createQueryBuilder('e');
  if (query.status) qb.andWhere('e.status = :status', { status: query.status });
  if (query.category?.trim()) qb.andWhere('lower(e.category) = lower(:category)', { category: query.category.trim() });
  if (query.roomId) qb.andWhere('e.home_room_id = :roomId', { roomId: query.roomId });
  if (query.portable === 'true') qb.andWhere('e.home_room_id IS NULL');
  if (query.portable === 'false') qb.andWhere('e.home_room_id IS NOT NULL');
  const text = query.q?.trim();
  if (text) qb.andWhere('(e.name ILIKE :p OR e.category ILIKE :p OR e.serial_number ILIKE :p)', { p: likePattern(text) });
  return qb;
}
