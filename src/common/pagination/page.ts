import { encodeCursor } from './cursor';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** One page of a list; nextCursor is null on the last page. */
export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/**
 * Builds a page from rows fetched with LIMIT pageSize + 1: the extra row only proves that another
 * page exists and is not returned.
 */
export function toPage<T extends { createdAt: Date; id: string }>(
  rows: T[],
  pageSize: number,
): Page<T> {
  const data = rows.slice(0, pageSize);
  const last = data.at(-1);
  const hasMore = rows.length > pageSize && last !== undefined;

  return { data, nextCursor: hasMore ? encodeCursor(last) : null };
}
