import { Prisma } from '../generated/prisma/client';

/** Prisma's error code for a unique constraint violation. */
const uniqueConstraintFailed = 'P2002';

export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError && error.code === uniqueConstraintFailed
  );
}
