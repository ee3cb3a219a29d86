import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

/** A table whose expired rows the retention prune deletes. */
export type PrunedTable = 'webhook_events' | 'audit_log';

// Fixed SQL names, never built from input.
const pruneFunctions: Record<PrunedTable, Prisma.Sql> = {
  webhook_events: Prisma.raw('retention.prune_webhook_events'),
  audit_log: Prisma.raw('retention.prune_audit_log'),
};

/**
 * Calls the retention.prune_* functions. They are SECURITY DEFINER functions owned by the NOLOGIN
 * role aias_retention, because row-level security limits the application role to one tenant at a
 * time and it may not delete from audit_log at all. Each call runs outside a transaction, so it
 * commits on its own.
 */
@Injectable()
export class RetentionRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Deletes up to `batchSize` of the oldest rows older than `retentionDays`; returns the count. */
  async deleteExpiredBatch(
    table: PrunedTable,
    retentionDays: number,
    batchSize: number,
  ): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ deleted: number }[]>`
      SELECT ${pruneFunctions[table]}(${retentionDays}::int, ${batchSize}::int) AS deleted`;

    return rows[0]?.deleted ?? 0;
  }
}
