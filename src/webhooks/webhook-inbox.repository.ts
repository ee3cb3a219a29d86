import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import type { Prisma } from '../generated/prisma/client';

export type WebhookSource = 'blooio' | 'lead_intake';

/**
 * The inbox of processed deliveries (webhook_events), one row per tenant, source and dedup key.
 * Claiming inserts with ON CONFLICT DO NOTHING: a concurrent duplicate waits on the unique index
 * until the first transaction ends, then finds the row and does nothing.
 */
@Injectable()
export class WebhookInboxRepository {
  /** Returns the new row's id, or undefined when the key was already claimed. */
  async claim(
    tx: TenantTransaction,
    tenantId: string,
    source: WebhookSource,
    dedupKey: string,
  ): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO webhook_events (id, tenant_id, source, dedup_key)
      VALUES (gen_random_uuid(), ${tenantId}::uuid, ${source}, ${dedupKey})
      ON CONFLICT (tenant_id, source, dedup_key) DO NOTHING
      RETURNING id`;

    return rows[0]?.id;
  }

  async release(tx: TenantTransaction, id: string): Promise<void> {
    await tx.webhookEvent.delete({ where: { id } });
  }

  /** Stores the response of a processed request; `response` must be plain JSON data. */
  async saveResponse(tx: TenantTransaction, id: string, response: object): Promise<void> {
    await tx.webhookEvent.update({ where: { id }, data: { response } });
  }

  async findResponse(
    tx: TenantTransaction,
    tenantId: string,
    source: WebhookSource,
    dedupKey: string,
  ): Promise<Prisma.JsonValue | undefined> {
    const row = await tx.webhookEvent.findUnique({
      where: { tenantId_source_dedupKey: { tenantId, source, dedupKey } },
      select: { response: true },
    });

    return row?.response ?? undefined;
  }
}
