import { isUUID } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, encodeCursor, invalidCursor } from './pagination.js';

/**
 * Cursor pages of a list ordered by case-insensitive name, then id (issue 9: rooms, equipment). The
 * key travels as the text PostgreSQL's lower() produced, so the cursor compares exactly as the index
 * (lower(name), id) orders; a JavaScript toLowerCase() can fold some characters differently.
 */
export interface NameCursor {
  key: string;
  id: string;
}

export function decodeNameCursor(cursor: string): NameCursor {
  const [key, id] = decodeCursor(cursor, ['string', 'string']) as [string, string];
  if (!isUUID(id)) throw invalidCursor();
  return { key, id };
}

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Orders `qb` (alias `alias`) by lower(name), id, after the cursor; selects the key as `sort_key`. */
export function nameOrderedPage<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string, after: NameCursor | undefined, limit: number): SelectQueryBuilder<E> {
  qb.addSelect(`lower(${alias}.name)`, 'sort_key').orderBy(`lower(${alias}.name)`, 'ASC').addOrderBy(`${alias}.id`, 'ASC').limit(limit);
  if (after) qb.andWhere(`(lower(${alias}.name), ${alias}.id) > (:cursorKey, :cursorId)`, { cursorKey: after.key, cursorId: after.id });
  return qb;
}

/** Runs the page query (one row more than `limit`, to know whether another page follows). */
export async function namePage<E extends ObjectLiteral & { id: string }>(qb: SelectQueryBuilder<E>, limit: number): Promise<{ items: E[]; nextCursor: string | null }> {
  const { entities, raw } = await qb.getRawAndEntities<{ sort_key: string }>();
  const items = entities.slice(0, limit);
  const last = raw[items.length - 1];
  return { items, nextCursor: entities.length > limit && last ? encodeCursor([last.sort_key, items[items.length - 1].id]) : null };
}
