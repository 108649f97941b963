/**
 * One page of a list the edge already holds (the catalog's copy): the cursor is how many
 * items the earlier pages held, so it is a digit string like every other cursor, and a
 * cursor past the end answers an empty last page.
 */
export function pageOfList<T>(items: readonly T[], query: { cursor?: string; limit: number }): { items: T[]; nextCursor: string | null } {
  const start = query.cursor === undefined ? 0 : BigInt(query.cursor) >= BigInt(items.length) ? items.length : Number(query.cursor);
  const end = start + query.limit;
  return { items: items.slice(start, end), nextCursor: end < items.length ? String(end) : null };
}
