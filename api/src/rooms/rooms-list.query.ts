import type { Repository, SelectQueryBuilder } from 'typeorm';
import { likePattern } from '../common/pagination.js';
import type { ListRoomsQueryDto } from './dto/room-input.dto.js';
import type { Room } from './room.entity.js';

/** The rooms matching the list's filters (every room without any), ordered later by name. */
export function matchingRooms(repo: Repository<Room>, query: ListRoomsQueryDto): SelectQueryBuilder<Room> {
  const qb = repo.createQueryBuilder('r');
  if (query.active !== undefined) qb.andWhere('r.active = :active', { active: query.active === 'true' });
  const text = query.q?.trim();
  if (text) qb.andWhere('r.name ILIKE :p', { p: likePattern(text) });
  return qb;
}
