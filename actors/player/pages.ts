import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * The one pagination style in the shard: newest first, `cursor` the last row number of the
 * page before (a digit string that fits int64, bound as an integer). One row more than the
 * page is read, so the last page says so (`nextCursor: null`) without an extra query.
 */

export type PageQuery = { cursor?: string; limit: number };
export type Page<T> = { items: T[]; nextCursor: string | null };

/** The condition "older than the cursor" on a row-number column, or undefined on the first page. */
export function below(column: SQLiteColumn | SQL, cursor: string | undefined): SQL | undefined {
  return cursor === undefined ? undefined : sql`${column} < ${BigInt(cursor)}`;
}

/** A page from up to `limit + 1` rows read newest first. */
export function pageOf<T>(rows: T[], limit: number, rowNumber: (row: T) => number): Page<T> {
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? String(rowNumber(items.at(-1)!)) : null };
}

/** Where a list in another order starts: its cursor is an offset (read `limit + 1` rows from here). */
export const offsetOf = (query: PageQuery): number => (query.cursor === undefined ? 0 : Math.min(Number(query.cursor), Number.MAX_SAFE_INTEGER));

/** A page of such a list from the rows read at `offsetOf(query)`. */
export function offsetPage<T>(rows: T[], query: PageQuery): Page<T> {
  const next = offsetOf(query) + query.limit;
  return { items: rows.slice(0, query.limit), nextCursor: rows.length > query.limit ? String(next) : null };
}
