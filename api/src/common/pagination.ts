import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
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
