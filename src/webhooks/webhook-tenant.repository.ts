import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';

export interface StoredSigningSecrets {
  currentCiphertext: string;
  previousCiphertext: string | null;
  previousExpiresAt: Date | null;
}

export interface WebhookTenantSettings {
  defaultRegion: string;
  secrets: StoredSigningSecrets | null;
}

/** Reads the tenant settings webhooks need: encrypted signing secrets and the default region. */
@Injectable()
export class WebhookTenantRepository {
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

  /** Returns the region (ISO 3166 alpha-2) used to read national phone numbers. */
  async findDefaultRegion(tx: TenantTransaction, tenantId: string): Promise<string | undefined> {
    const tenant = await tx.tenant.findUnique({
      where: { id: tenantId },
      select: { defaultRegion: true },
    });

    return tenant?.defaultRegion;
  }
}
