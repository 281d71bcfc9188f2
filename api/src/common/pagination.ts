import type { Type } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, isUUID, Max, MaxLength, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { isStorableText } from './input-safety.js';
import { ValidationProblem } from './problem.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;
/**
 * A cursor is base64url of the JSON sort key. The longest today, clients' [name, id], is 1,658
 * characters: 200 name characters that JSON escapes to \uXXXX (6 bytes each) plus a UUID. The bound
 * must hold every cursor the API itself hands out, or the next page of such a list is refused.
 */
export const MAX_CURSOR_LENGTH = 2048;
/** base64url, as encodeCursor writes it. */
export const CURSOR_PATTERN = '^[A-Za-z0-9_-]+$';

/** Query parameters shared by every cursor-paginated list. */
export class PageQueryDto {
  @ApiPropertyOptional({ type: 'integer', format: 'int32', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  // Only decimal digits become a number: Number() would also read '0x10', ' 5', '+5' or '1e1'.
  @Transform(({ value }) => (typeof value === 'string' && /^[0-9]{1,9}$/.test(value) ? Number(value) : value))
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ maxLength: MAX_CURSOR_LENGTH, pattern: CURSOR_PATTERN, description: 'Opaque cursor from the previous page\'s nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(MAX_CURSOR_LENGTH)
  cursor?: string;
}

/** What every cursor-paginated list response holds: one page of items and the cursor of the next. */
export interface PagedList<T> {
  items: T[];
  nextCursor: string | null;
}

/**
 * The base class of a list response DTO: `class RoomListDto extends PagedListDto(RoomDto) {}`, with
 * the list's own fields (a `total`) added in the subclass. Swagger reads the inherited properties.
 */
export function PagedListDto<T>(item: Type<T>): Type<PagedList<T>> {
  class PagedListOf implements PagedList<T> {
    @ApiProperty({ type: [item], maxItems: MAX_PAGE_SIZE })
    items: T[];

    @ApiProperty({ type: String, nullable: true, maxLength: MAX_CURSOR_LENGTH, pattern: CURSOR_PATTERN, description: 'Pass as `cursor` for the next page; null on the last page' })
    nextCursor: string | null;
  }
  return PagedListOf;
}

/** Cursors are opaque to clients: base64url JSON of the sort key of the last row returned. */
export function encodeCursor(key: unknown[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string, shape: Array<'string' | 'number'>): unknown[] {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    // A cursor is decoded from client input: its strings get the same text rule as any other input.
    const valid = (v: unknown, i: number) => typeof v === shape[i] && (typeof v !== 'string' || isStorableText(v));
    if (Array.isArray(key) && key.length === shape.length && key.every(valid)) return key;
  } catch {
    // fall through
  }
  throw invalidCursor();
}

export const invalidCursor = () =>
  new ValidationProblem([{ field: 'cursor', messages: ['cursor is not a cursor this API returned'] }]);

/** Escapes LIKE wildcards so a search for "50%" means the text "50%". */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** The sort key and id of the last row of a keyset page: what a cursor carries. */
export interface KeysetCursor {
  key: string;
  id: string;
}

/** created_at as text to the microsecond: a JavaScript Date would cut it to the millisecond and skip rows. */
export const createdKey = (alias: string) => `to_char(${alias}.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** Only what createdKey writes, and a real instant (no 30 February, no year 0): else the cast would fail in SQL. */
export function isCursorInstant(key: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/.test(key) || key.startsWith('0000')) return false;
  const ms = Date.parse(key);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 23) === key.slice(0, 23);
}

/** A newest-first list's cursor: an instant PostgreSQL can read back and a UUID. */
export function decodeNewestFirstCursor(cursor: string): KeysetCursor {
  const [key, id] = decodeCursor(cursor, ['string', 'string']) as [string, string];
  if (!isUUID(id) || !isCursorInstant(key)) throw invalidCursor();
  return { key, id };
}

/** Orders `qb` (alias `alias`) newest first (created_at, then id, both descending) after the cursor's row; selects the key as `sort_key`. */
export function newestFirst<E extends ObjectLiteral>(qb: SelectQueryBuilder<E>, alias: string, after: KeysetCursor | undefined, limit: number): SelectQueryBuilder<E> {
  qb.addSelect(createdKey(alias), 'sort_key').orderBy(`${alias}.created_at`, 'DESC').addOrderBy(`${alias}.id`, 'DESC').limit(limit);
  if (after) qb.andWhere(`(${alias}.created_at, ${alias}.id) < (CAST(:cursorKey AS timestamptz), :cursorId)`, { cursorKey: after.key, cursorId: after.id });
  return qb;
}

/**
 * Runs a keyset page query that asked for one row more than `limit` (to know whether another page
 * follows) and selected its sort key as `sort_key`: the page's rows, their raw columns, and the next cursor.
 */
export async function keysetPage<E extends ObjectLiteral & { id: string }, R extends { sort_key: string } = { sort_key: string }>(
  qb: SelectQueryBuilder<E>,
  limit: number,
): Promise<{ items: E[]; raw: R[]; nextCursor: string | null }> {
  const { entities, raw } = await qb.getRawAndEntities<R>();
  const items = entities.slice(0, limit);
  const last = raw[items.length - 1];
  return { items, raw: raw.slice(0, items.length), nextCursor: entities.length > limit && last ? encodeCursor([last.sort_key, items[items.length - 1].id]) : null };
}
