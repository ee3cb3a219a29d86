import { randomUUID } from 'node:crypto';

import { Injectable } from '@nestjs/common';

import { AuditLogRepository } from '../audit-log/audit-log.repository';
import { TenantDatabase } from '../database/tenant-database';
import type { TenantStatus } from '../generated/prisma/enums';
import { validateName, validateRegion, validateSlug, validateTimezone } from './admin-input';
import { SlugTakenError } from './admin.errors';
import { isUniqueViolation } from '../database/database-errors';
import { TenantAdminRepository } from './tenant-admin.repository';
import type { TenantListing } from './tenant-directory.repository';
import { TenantLookup } from './tenant-lookup';

export interface CreateTenantInput {
  name: string;
  slug: string;
  timezone?: string;
  region?: string;
}

export interface StatusChange {
  tenant: TenantListing;
  isChanged: boolean;
}

/** Operator actions on tenants: create, list, suspend and reactivate. */
@Injectable()
export class TenantAdminService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly tenants: TenantAdminRepository,
    private readonly lookup: TenantLookup,
    private readonly audit: AuditLogRepository,
  ) {}

  /** Creates an active tenant with a default "Sales" pipeline. */
  async create(input: CreateTenantInput, actor: string): Promise<TenantListing> {
    const tenant = {
      id: randomUUID(),
      name: validateName('--name', input.name),
      slug: validateSlug(input.slug),
      timezone: validateTimezone(input.timezone ?? 'UTC'),
      defaultRegion: validateRegion(input.region ?? 'US'),
    };

    try {
      // The transaction sets app.tenant_id to the new id, which the RLS WITH CHECK on tenants needs.
      await this.db.transaction(tenant.id, async (tx) => {
        await this.tenants.insertTenant(tx, tenant);
        await this.tenants.insertPipeline(tx, tenant.id, { name: 'Sales', isDefault: true });
        await this.audit.append(tx, tenant.id, {
          actor,
          action: 'tenant.created',
          details: {
            name: tenant.name,
            slug: tenant.slug,
            timezone: tenant.timezone,
            defaultRegion: tenant.defaultRegion,
          },
        });
      });
    } catch (error) {
      throw isUniqueViolation(error) ? new SlugTakenError(tenant.slug) : error;
    }

    return { id: tenant.id, name: tenant.name, slug: tenant.slug, status: 'active' };
  }

  list(): Promise<TenantListing[]> {
    return this.lookup.list();
  }

  /** Suspends or reactivates a tenant; returns isChanged false when it already had that status. */
  async setStatus(reference: string, status: TenantStatus, actor: string): Promise<StatusChange> {
    const tenant = await this.lookup.resolve(reference);

    if (tenant.status === status) {
      return { tenant, isChanged: false };
    }

    await this.db.transaction(tenant.id, async (tx) => {
      await this.tenants.updateStatus(tx, tenant.id, status);
      await this.audit.append(tx, tenant.id, {
        actor,
        action: status === 'suspended' ? 'tenant.suspended' : 'tenant.reactivated',
        details: { slug: tenant.slug, from: tenant.status, to: status },
      });
    });

    return { tenant: { ...tenant, status }, isChanged: true };
  }
}
