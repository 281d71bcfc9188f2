import { isUUID } from 'class-validator';
import type { Repository, SelectQueryBuilder } from 'typeorm';
import { createdKey, decodeCursor, encodeCursor, invalidCursor, isCursorInstant, type KeysetCursor, likePattern } from '../common/pagination.js';
import { ValidationProblem } from '../common/problem.js';
import type { Client } from './client.entity.js';

/** The orders the client list offers; a leading '-' is descending. */
export const CLIENT_SORTS = ['name', '-name', 'createdAt', '-createdAt'] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];
export const DEFAULT_CLIENT_SORT: ClientSort = 'name';

/**
 * Each sort key: the SQL it orders by, and how its value travels in a cursor. The key comes back
 * from SQL as text, so the cursor compares exactly as PostgreSQL does: lower() as PostgreSQL folds
 * case, created_at to the microsecond (a JavaScript Date would cut it to the millisecond and skip or
 * repeat rows created in the same millisecond). Both are backed by an index on (key, id), which a
 * descending sort scans backwards: so id breaks ties in the same direction as the key.
 */
const SORT_KEYS = {
  name: { order: 'lower(c.name)', text: 'lower(c.name)', fromCursor: ':key', valid: () => true },
  createdAt: {
    order: 'c.created_at',
    text: createdKey('c'),
    fromCursor: 'CAST(:key AS timestamptz)',
    valid: (key: string) => isCursorInstant(key),
  },
} as const;

const keyOf = (sort: ClientSort) => SORT_KEYS[sort.replace(/^-/, '') as keyof typeof SORT_KEYS];

/** A cursor is [sort, key, id]: one minted under another sort would point into a different order. */
export type ClientCursor = KeysetCursor;

export function decodeClientCursor(cursor: string, sort: ClientSort): ClientCursor {
  const [cursorSort, key, id] = decodeCursor(cursor, ['string', 'string', 'string']) as [string, string, string];
  if (cursorSort !== sort) {
    throw new ValidationProblem([{ field: 'cursor', messages: ['cursor belongs to another sort order: start again without a cursor'] }]);
  }
  if (!isUUID(id) || !keyOf(sort).valid(key)) throw invalidCursor();
  return { key, id };
}

export const encodeClientCursor = (sort: ClientSort, last: { key: string; id: string }) => encodeCursor([sort, last.key, last.id]);

/** The clients matching a search (every client without one). */
export function matchingClients(repo: Repository<Client>, q: string | undefined): SelectQueryBuilder<Client> {
  const qb = repo.createQueryBuilder('c');
  const text = q?.trim();
  if (text) qb.andWhere(`(c.name ILIKE :p OR c.email ILIKE :p OR c.phone ILIKE :p OR c.company ILIKE :p)`, { p: likePattern(text) });
  return qb;
}

/** Orders `qb` by the sort (then id), starts after the cursor's row, and selects the key as `sort_key`. */
export function sortedPage(qb: SelectQueryBuilder<Client>, sort: ClientSort, after: ClientCursor | undefined, limit: number): SelectQueryBuilder<Client> {
  const key = keyOf(sort);
  const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
  qb.addSelect(key.text, 'sort_key').orderBy(key.order, direction).addOrderBy('c.id', direction).limit(limit);
  if (after) qb.andWhere(`(${key.order}, c.id) ${direction === 'ASC' ? '>' : '<'} (${key.fromCursor}, :id)`, { key: after.key, id: after.id });
  return qb;
}
