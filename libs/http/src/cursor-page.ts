import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { DomainError } from '@darvazeh/core';

/** A page of a list; `nextCursor` is null on the last page. */
export interface CursorPage<T> {
  items: T[];
  nextCursor: string | null;
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** `?limit=&cursor=` of every list endpoint. */
export class CursorQueryDto {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s nextCursor' })
  @IsOptional()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}

export class CursorInvalidError extends DomainError {
  readonly code = 'REQUEST.CURSOR_INVALID';
  readonly kind = 'invalid' as const;
  constructor() {
    super('The cursor is not one this list handed out.', {
      hint: 'Pass nextCursor from the previous page unchanged, or omit it for the first page.',
      errors: [{ field: 'cursor', message: 'cursor is malformed' }],
    });
  }
}

/** Opaque to clients (base64url JSON); the list decides what goes in (usually the sort key and id). */
export function encodeCursor(position: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor; `isValid` checks the shape the list expects. Throws CursorInvalidError on
 * anything else, so a tampered cursor is a 400, never a 500 or a wrong page.
 */
export function decodeCursor<T extends Record<string, unknown>>(
  cursor: string,
  isValid: (value: Record<string, unknown>) => value is T = (_value): _value is T => true,
): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new CursorInvalidError();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || !isValid(value as Record<string, unknown>)) {
    throw new CursorInvalidError();
  }
  return value as T;
}

export function pageSize(query: { limit?: number }): number {
  return query.limit ?? DEFAULT_PAGE_SIZE;
}

/**
 * Builds a page from up to `limit + 1` rows fetched in list order: the extra row only says that
 * another page exists; the cursor points after the last row returned.
 */
export function toCursorPage<Row, Item>(
  rows: Row[],
  limit: number,
  positionOf: (row: Row) => Record<string, unknown>,
  map: (row: Row) => Item,
): CursorPage<Item> {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: page.map(map),
    nextCursor: hasMore && page.length > 0 ? encodeCursor(positionOf(page[page.length - 1])) : null,
  };
}
