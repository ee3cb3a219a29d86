import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../../database/tenant-database';

export interface StoredSigningSecrets {
  currentCiphertext: string;
  previousCiphertext: string | null;
  previousExpiresAt: Date | null;
}

export interface WebhookTenantSettings {
  defaultRegion: string;
  secrets: StoredSigningSecrets | null;
}

/** Reads a tenant's encrypted Blooio signing secrets and the settings inbound processing needs. */
@Injectable()
export class WebhookSecretRepository {
  async findSettings(
    tx: TenantTransaction,
    tenantId: string,
  ): Promise<WebhookTenantSettings | null> {
    const tenant = await tx.tenant.findUnique({
      where: { id: tenantId },
      select: {
        defaultRegion: true,
        webhookSecret: {
          select: { currentCiphertext: true, previousCiphertext: true, previousExpiresAt: true },
        },
      },
    });

    if (!tenant) {
      return null;
    }

    return { defaultRegion: tenant.defaultRegion, secrets: tenant.webhookSecret };
  }
}
