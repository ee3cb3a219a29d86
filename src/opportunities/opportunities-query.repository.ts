import { Injectable } from '@nestjs/common';

import type { CursorPosition } from '../common/pagination/cursor';
import { afterPosition } from '../common/pagination/keyset-sql';
import type { TenantTransaction } from '../database/tenant-database';
import { Prisma } from '../generated/prisma/client';
import type { OpportunityStatus } from '../generated/prisma/enums';

export interface OpportunityView {
  id: string;
  pipelineId: string;
  contactId: string;
  status: OpportunityStatus;
  valueCents: number | null;
  currency: string;
  appointmentAt: Date | null;
  source: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface PipelineView {
  id: string;
  name: string;
  isDefault: boolean;
  createdAt: Date;
}

export interface OpportunityListFilter {
  tenantId: string;
  pipelineId?: string;
  status?: OpportunityStatus;
  after?: CursorPosition;
  /** Rows to fetch: the page size plus one. */
  take: number;
}

export const opportunityColumns = Prisma.sql`
  id, pipeline_id AS "pipelineId", contact_id AS "contactId", status, value_cents AS "valueCents",
  currency, appointment_at AS "appointmentAt", source, created_at AS "createdAt",
  updated_at AS "updatedAt"`;

/**
 * Builds the opportunity list query, newest first. The explicit tenant_id condition repeats what
 * row-level security enforces, so the planner estimates rows from the tenant's own statistics.
 */
export function opportunityListSql(filter: OpportunityListFilter): Prisma.Sql {
  const pipeline = filter.pipelineId
    ? Prisma.sql`AND pipeline_id = ${filter.pipelineId}::uuid`
    : Prisma.empty;
  const status = filter.status
    ? Prisma.sql`AND status = ${filter.status}::opportunity_status`
    : Prisma.empty;

  return Prisma.sql`
    SELECT ${opportunityColumns}
    FROM opportunities
    WHERE tenant_id = ${filter.tenantId}::uuid ${pipeline} ${status} ${afterPosition(filter.after)}
    ORDER BY created_at DESC, id DESC
    LIMIT ${filter.take}::int`;
}

/** Read-only queries behind the opportunity and pipeline endpoints of the tenant API. */
@Injectable()
export class OpportunitiesQueryRepository {
  list(tx: TenantTransaction, filter: OpportunityListFilter): Promise<OpportunityView[]> {
    return tx.$queryRaw<OpportunityView[]>(opportunityListSql(filter));
  }

  async findById(tx: TenantTransaction, id: string): Promise<OpportunityView | null> {
    const rows = await tx.$queryRaw<OpportunityView[]>`
      SELECT ${opportunityColumns} FROM opportunities WHERE id = ${id}::uuid`;

    return rows[0] ?? null;
  }

  listPipelines(tx: TenantTransaction): Promise<PipelineView[]> {
    return tx.pipeline.findMany({
      select: { id: true, name: true, isDefault: true, createdAt: true },
      orderBy: [{ isDefault: 'desc' }, { name: 'asc' }],
    });
  }
}
