import { isUUID } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { decodeCursor, invalidCursor, keysetPage, type KeysetCursor } from './pagination.js';

/**
 * Cursor pages of a list ordered by case-insensitive name, then id (issue 9: rooms, equipment). The
 * key travels as the text PostgreSQL's lower() produced, so the cursor compares exactly as the index
 * (lower(name), id) orders; a JavaScript toLowerCase() can fold some characters differently.
 */
export type NameCursor = KeysetCursor;

export function decodeNameCursor(cursor: string): NameCursor {
  const [key, id] = decodeCursor(cursor, ['string', 'string']) as [string, string];
  if (!isUUID(id)) throw invalidCursor();
  return { key, id };
}

/** Orders `qb` (alias `alias`) by lower(name), id, after the cursor; selects the key as `sort_key`. */
export function nameOrderedPage<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string, after: NameCursor | undefined, limit: number): SelectQueryBuilder<E> {
  qb.addSelect(`lower(${alias}.name)`, 'sort_key').orderBy(`lower(${alias}.name)`, 'ASC').addOrderBy(`${alias}.id`, 'ASC').limit(limit);
  if (after) qb.andWhere(`(lower(${alias}.name), ${alias}.id) > (:cursorKey, :cursorId)`, { cursorKey: after.key, cursorId: after.id });
  return qb;
}

/** Runs the page query (one row more than `limit`, to know whether another page follows). */
export async function namePage<E extends ObjectLiteral & { id: string }>(qb: SelectQueryBuilder<E>, limit: number): Promise<{ items: E[]; nextCursor: string | null }> {
  const { items, nextCursor } = await keysetPage(qb, limit);
  return { items, nextCursor };
}
