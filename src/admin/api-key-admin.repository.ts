import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';

import type { TenantTransaction } from '../database/tenant-database';

export interface ApiKeyListing {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const listingSelect = {
  id: true,
  name: true,
  prefix: true,
  scopes: true,
  createdAt: true,
  lastUsedAt: true,
  revokedAt: true,
} as const;

/** Writes and lists a tenant's API keys; only hashes are stored. */
@Injectable()
export class ApiKeyAdminRepository {
  async insert(
    tx: TenantTransaction,
    key: { tenantId: string; name: string; prefix: string; hash: string; scopes: string[] },
  ): Promise<string> {
    const created = await tx.apiKey.create({ data: key, select: { id: true } });

    return created.id;
  }

  list(tx: TenantTransaction): Promise<ApiKeyListing[]> {
    return tx.apiKey.findMany({
      select: listingSelect,
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
  }

  /** Finds a key by id or by prefix, within the tenant of the transaction. */
  findByReference(tx: TenantTransaction, reference: string): Promise<ApiKeyListing | null> {
    return tx.apiKey.findFirst({
      where: isUUID(reference) ? { id: reference } : { prefix: reference },
      select: listingSelect,
    });
  }

  async revoke(tx: TenantTransaction, id: string, at: Date): Promise<void> {
    await tx.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: at } });
  }
}
