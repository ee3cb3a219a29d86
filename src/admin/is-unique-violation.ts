import { PrismaErrorCode } from '../database/prisma-error-code';
import { Prisma } from '../generated/prisma/client';

export function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Prisma.PrismaClientKnownRequestError &&
    error.code === (PrismaErrorCode.UniqueConstraintViolation as string)
  );
}
