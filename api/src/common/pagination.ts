import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { isStorableText } from './input-safety.js';
import { ValidationProblem } from './problem.js';

/** Query parameters shared by every cursor-paginated list. */
export class PageQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page\'s nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  cursor?: string;
}

export const DEFAULT_PAGE_SIZE = 20;

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
