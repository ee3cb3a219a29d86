import { DatabaseError } from 'pg';

import { Prisma } from '../generated/prisma/client';

/** Prisma's error code for a unique constraint violation in a model query. */
const uniqueConstraintFailed = 'P2002';

/** PostgreSQL's SQLSTATE for unique_violation, which raw queries report through the driver adapter. */
const uniqueViolationSqlState = '23505';

/**
 * Returns the SQLSTATE of a failed raw query: node-postgres's own, or the one Prisma keeps in the
 * driver adapter's error.
 */
export function sqlStateOf(error: unknown): string | undefined {
  if (error instanceof DatabaseError) {
    return error.code;
  }

  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) {
    return undefined;
  }

  const cause = (error.meta?.driverAdapterError as { cause?: { originalCode?: unknown } })?.cause;

  return typeof cause?.originalCode === 'string' ? cause.originalCode : undefined;
}

/** True for a unique constraint violation, from a model query or from a raw query. */
export function isUniqueViolation(error: unknown): boolean {
  if (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === uniqueConstraintFailed
  ) {
    return true;
  }

  return sqlStateOf(error) === uniqueViolationSqlState;
}
