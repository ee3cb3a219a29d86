import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import type { OpportunityStatus } from '../generated/prisma/enums';

export interface OpportunityRow {
  id: string;
  pipelineId: string;
  status: OpportunityStatus;
}

const closedStatuses: OpportunityStatus[] = ['won', 'lost'];

/** Pipeline and opportunity rows, read and written inside the caller's tenant transaction. */
@Injectable()
export class OpportunitiesRepository {
  /** Returns the tenant's default pipeline; the oldest one if several are marked default. */
  async findDefaultPipelineId(tx: TenantTransaction): Promise<string | undefined> {
    const pipeline = await tx.pipeline.findFirst({
      where: { isDefault: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      select: { id: true },
    });

    return pipeline?.id;
  }

  /** Returns the contact's newest opportunity in the pipeline that is not won or lost. */
  async findOpen(
    tx: TenantTransaction,
    pipelineId: string,
    contactId: string,
  ): Promise<OpportunityRow | undefined> {
    const row = await tx.opportunity.findFirst({
      where: { pipelineId, contactId, status: { notIn: closedStatuses } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      select: { id: true, pipelineId: true, status: true },
    });

    return row ?? undefined;
  }

  async create(
    tx: TenantTransaction,
    input: { tenantId: string; pipelineId: string; contactId: string; source?: string },
  ): Promise<OpportunityRow> {
    return tx.opportunity.create({
      data: {
        tenantId: input.tenantId,
        pipelineId: input.pipelineId,
        contactId: input.contactId,
        source: input.source,
        status: 'new',
      },
      select: { id: true, pipelineId: true, status: true },
    });
  }
}
