import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { SingleLineText } from './validators.js';
import { badRequest } from './problem.js';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export class PageQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;

  @ApiPropertyOptional({ description: 'Opaque cursor from the previous page’s nextCursor.' })
  @IsOptional()
  @IsString()
  @SingleLineText()
  @MaxLength(500)
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A cursor is the sort key of the last item seen, opaque to clients. */
export function encodeCursor(key: (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    const sane = (k: unknown) => (typeof k === 'string' && k.length <= 200) || (typeof k === 'number' && Number.isSafeInteger(k) && k >= 0);
    if (Array.isArray(key) && key.length === arity && key.every(sane)) {
      return key;
    }
  } catch {
    // fall through to the 400 below
  }
  throw badRequest('cursor is not valid: pass back a nextCursor exactly as it was given.', [
    { field: 'cursor', message: 'cursor is not valid' },
  ]);
}

/**
 * Rows are fetched with limit + 1: the extra row says whether another page
 * exists without a second query.
 */
export function toPage<R, T>(rows: R[], limit: number, toItem: (row: R) => T, keyOf: (row: R) => (string | number)[]): Page<T> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  return {
    items: pageRows.map(toItem),
    nextCursor: hasMore ? encodeCursor(keyOf(pageRows[pageRows.length - 1])) : null,
  };
}

export function pageSize(query: PageQuery): number {
  return query.limit ?? DEFAULT_PAGE_SIZE;
}

/**
 * Where a page of rows in `seq` order starts (after `afterSeq`; '0' on the
 * first page) and how many rows to read: one more than the page, so that
 * toPage learns whether another follows. A module's query function reads
 * the rows (docs/architecture.md, "Data access").
 */
export interface SeqWindow {
  afterSeq: string;
  rows: number;
}

/**
 * The statement of a page of a case's child rows in `table` (a fixed table
 * name, never caller text), `columns` of them: those of case $1 after seq
 * $2, oldest first, $3 of them. A module's queries file names its own.
 */
export function caseRowsAfterSeq(table: string, columns: string): string {
  // Ordered by the table's own seq (r.seq): the columns may hand seq over as text under the same name.
  return `
  SELECT ${columns}
    FROM ${table} r
   WHERE r.case_id = $1 AND r.seq > $2
   ORDER BY r.seq
   LIMIT $3`;
}

/** One page of rows in ascending `seq` order, read by `read` for the window the request's cursor names. */
export async function pageAfterSeq<T extends { seq: string }, V>(query: PageQuery, read: (window: SeqWindow) => Promise<T[]>, toItem: (row: T) => V): Promise<Page<V>> {
  const limit = pageSize(query);
  const after = decodeCursor(query.cursor, 1);
  const rows = await read({ afterSeq: after ? String(after[0]) : '0', rows: limit + 1 });
  return toPage(rows, limit, toItem, (row) => [Number(row.seq)]);
}
