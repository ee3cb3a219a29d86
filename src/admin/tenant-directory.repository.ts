import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';

import { PrismaService } from '../database/prisma.service';
import type { TenantStatus } from '../generated/prisma/enums';

export interface TenantListing {
  id: string;
  name: string;
  slug: string;
  status: TenantStatus;
}

/**
 * The administration CLI's view across tenants. Row-level security shows the application role one
 * tenant at a time, so listing tenants, or finding one by slug before its id is known, goes through
 * tenant_resolution.tenant_directory(): a SECURITY DEFINER function owned by the NOLOGIN role
 * aias_resolver, with a fixed search_path, that returns only id, name, slug and status. This is the
 * same sanctioned path as TenantResolver. Everything after the lookup runs inside
 * TenantDatabase.transaction for the tenant found.
 */
@Injectable()
export class TenantDirectoryRepository {
  constructor(private readonly prisma: PrismaService) {}

  list(): Promise<TenantListing[]> {
    return this.prisma.$queryRaw<TenantListing[]>`
      SELECT tenant_id AS id, name, slug, tenant_status AS status
      FROM tenant_resolution.tenant_directory()
      ORDER BY name, tenant_id`;
  }

  /** Finds a tenant by id or by slug. */
  async find(reference: string): Promise<TenantListing | null> {
    const rows = isUUID(reference)
      ? await this.prisma.$queryRaw<TenantListing[]>`
          SELECT tenant_id AS id, name, slug, tenant_status AS status
          FROM tenant_resolution.tenant_directory() WHERE tenant_id = ${reference}::uuid`
      : await this.prisma.$queryRaw<TenantListing[]>`
          SELECT tenant_id AS id, name, slug, tenant_status AS status
          FROM tenant_resolution.tenant_directory() WHERE slug = ${reference}`;

    return rows[0] ?? null;
  }
}
