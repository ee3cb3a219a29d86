import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import type { TenantStatus } from '../generated/prisma/enums';

export interface NewTenant {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  defaultRegion: string;
}

export interface SpendCaps {
  dailySendCap: number;
  conversationReplyCap: number;
  repliesPaused: boolean;
}

export interface TenantSettings extends SpendCaps {
  id: string;
  slug: string;
  status: TenantStatus;
  defaultRegion: string;
}

/** Writes to tenants, pipelines and sending_numbers inside a tenant transaction. */
@Injectable()
export class TenantAdminRepository {
  async insertTenant(tx: TenantTransaction, tenant: NewTenant): Promise<void> {
    await tx.tenant.create({ data: tenant, select: { id: true } });
  }

  async insertPipeline(
    tx: TenantTransaction,
    tenantId: string,
    pipeline: { name: string; isDefault: boolean },
  ): Promise<string> {
    const created = await tx.pipeline.create({
      data: { tenantId, ...pipeline },
      select: { id: true },
    });

    return created.id;
  }

  findSettings(tx: TenantTransaction, tenantId: string): Promise<TenantSettings | null> {
    return tx.tenant.findUnique({
      where: { id: tenantId },
      select: {
        id: true,
        slug: true,
        status: true,
        defaultRegion: true,
        dailySendCap: true,
        conversationReplyCap: true,
        repliesPaused: true,
      },
    });
  }

  async updateStatus(tx: TenantTransaction, tenantId: string, status: TenantStatus): Promise<void> {
    await tx.tenant.update({ where: { id: tenantId }, data: { status }, select: { id: true } });
  }

  async updateSpendCaps(tx: TenantTransaction, tenantId: string, caps: SpendCaps): Promise<void> {
    await tx.tenant.update({ where: { id: tenantId }, data: caps, select: { id: true } });
  }

  async insertSendingNumber(
    tx: TenantTransaction,
    tenantId: string,
    phone: string,
  ): Promise<string> {
    const created = await tx.sendingNumber.create({
      data: { tenantId, phone },
      select: { id: true },
    });

    return created.id;
  }
}
