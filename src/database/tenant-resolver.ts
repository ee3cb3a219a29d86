import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import type { TenantStatus } from '../generated/prisma/enums';
import { PrismaService } from './prisma.service';

export interface ResolvedTenant {
  tenantId: string;
  status: TenantStatus;
}

export interface ResolvedApiKey extends ResolvedTenant {
  keyId: string;
  keyHash: string;
  scopes: string[];
  revokedAt: Date | null;
}

/**
 * The only code in the service that reads tenant-owned rows before the tenant is known. The
 * administration CLI has one more such path, TenantDirectoryRepository, through the same schema.
 *
 * Every other query runs inside TenantDatabase.transaction, where row-level security shows one
 * tenant's rows. Authentication has to find the tenant first: a webhook names the receiving number,
 * an API key carries a lookup prefix. Both go through SECURITY DEFINER functions in the
 * tenant_resolution schema, owned by the NOLOGIN role aias_resolver, which may read only the columns
 * they return. The application role can execute them but cannot read those tables across tenants
 * itself, and the database audit command checks that this stays so. A resolved tenant is still
 * untrusted until the caller verifies the signature or the key hash.
 */
@Injectable()
export class TenantResolver {
  constructor(
    private readonly prisma: PrismaService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(TenantResolver.name);
  }

  async byReceivingNumber(phone: string): Promise<ResolvedTenant | null> {
    const rows = await this.prisma.$queryRaw<{ tenant_id: string; tenant_status: TenantStatus }[]>`
      SELECT tenant_id, tenant_status FROM tenant_resolution.tenant_by_number(${phone})`;
    const row = rows[0];

    this.logger.debug(
      { found: Boolean(row), tenantId: row?.tenant_id },
      'Resolved tenant by receiving number',
    );

    return row ? { tenantId: row.tenant_id, status: row.tenant_status } : null;
  }

  async byApiKeyPrefix(prefix: string): Promise<ResolvedApiKey | null> {
    const rows = await this.prisma.$queryRaw<
      {
        key_id: string;
        tenant_id: string;
        key_hash: string;
        scopes: string[] | null;
        revoked_at: Date | null;
        tenant_status: TenantStatus;
      }[]
    >`SELECT key_id, tenant_id, key_hash, scopes, revoked_at, tenant_status
      FROM tenant_resolution.api_key_by_prefix(${prefix})`;
    const row = rows[0];

    this.logger.debug(
      { found: Boolean(row), tenantId: row?.tenant_id },
      'Resolved tenant by API key prefix',
    );

    if (!row) {
      return null;
    }

    return {
      tenantId: row.tenant_id,
      status: row.tenant_status,
      keyId: row.key_id,
      keyHash: row.key_hash,
      // The column is a nullable TEXT[], which is how Prisma maps String[]. A key without scopes
      // gets 403 on every scoped route instead of failing on null.
      scopes: row.scopes ?? [],
      revokedAt: row.revoked_at,
    };
  }
}
