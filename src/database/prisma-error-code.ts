/** The Prisma client error codes the code branches on (https://www.prisma.io/docs/orm/reference/error-reference). */
export enum PrismaErrorCode {
  UniqueConstraintViolation = 'P2002',
  RecordNotFound = 'P2025',
}
