import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import { Prisma } from '../generated/prisma/client';

/** The loop breaker's thresholds of one tenant (tenants.loop_*). */
export interface LoopBreakerSettings {
  minReplySeconds: number;
  fastTurns: number;
  repeatCount: number;
}

/** Reads and writes the loop-breaker columns of the tenant of the transaction. */
@Injectable()
export class LoopBreakerRepository {
  /**
   * Reads the settings. With `forUpdate` the tenant row stays locked until the transaction ends,
   * so a change's audit entry records the values it replaced.
   */
  async find(
    tx: TenantTransaction,
    tenantId: string,
    options: { forUpdate: boolean },
  ): Promise<LoopBreakerSettings | null> {
    const rows = await tx.$queryRaw<LoopBreakerSettings[]>`
      SELECT loop_min_reply_seconds AS "minReplySeconds", loop_fast_turns AS "fastTurns",
        loop_repeat_count AS "repeatCount"
      FROM tenants
      WHERE id = ${tenantId}::uuid
      ${options.forUpdate ? Prisma.sql`FOR UPDATE` : Prisma.empty}`;

    return rows[0] ?? null;
  }

  async update(
    tx: TenantTransaction,
    tenantId: string,
    settings: LoopBreakerSettings,
  ): Promise<void> {
    await tx.tenant.update({
      where: { id: tenantId },
      data: {
        loopMinReplySeconds: settings.minReplySeconds,
        loopFastTurns: settings.fastTurns,
        loopRepeatCount: settings.repeatCount,
      },
      select: { id: true },
    });
  }
}
