import { Prisma } from '../../generated/prisma/client';
import type { CursorPosition } from './cursor';

/**
 * Builds the SQL condition for "rows after this position" in (created_at DESC, id DESC) order, or
 * nothing for the first page. PostgreSQL compares the row value column by column, so an index on
 * (…, created_at DESC, id DESC) serves it as an index condition.
 */
export function afterPosition(position: CursorPosition | undefined): Prisma.Sql {
  return position
    ? Prisma.sql`AND (created_at, id) < (${position.createdAt}::timestamptz, ${position.id}::uuid)`
    : Prisma.empty;
}
