import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';

export interface SecretRotation {
  currentCiphertext: string;
  previousCiphertext: string | null;
  previousExpiresAt: Date | null;
}

/** Reads and writes a tenant's encrypted Blooio signing secrets (webhook_secrets, one row per tenant). */
@Injectable()
export class WebhookSecretRepository {
  async findCurrent(tx: TenantTransaction, tenantId: string): Promise<string | null> {
    const row = await tx.webhookSecret.findUnique({
      where: { tenantId },
      select: { currentCiphertext: true },
    });

    return row?.currentCiphertext ?? null;
  }

  async save(tx: TenantTransaction, tenantId: string, secrets: SecretRotation): Promise<void> {
    const data = { ...secrets, rotatedAt: new Date() };

    await tx.webhookSecret.upsert({
      where: { tenantId },
      create: { tenantId, ...data },
      update: data,
      select: { id: true },
    });
  }
}
