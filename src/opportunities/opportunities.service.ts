import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import { OpportunitiesRepository } from './opportunities.repository';
import type { OpportunityRow } from './opportunities.repository';

export interface OpenedOpportunity extends OpportunityRow {
  isNew: boolean;
}

/** Opens sales opportunities for new leads. */
@Injectable()
export class OpportunitiesService {
  constructor(private readonly repository: OpportunitiesRepository) {}

  /**
   * Returns the contact's open opportunity in the default pipeline, or creates one with status new.
   * Returns undefined when the tenant has no default pipeline. The caller must hold the contact's row
   * lock, so two leads for one contact cannot both create an opportunity.
   */
  async openForContact(
    tx: TenantTransaction,
    tenantId: string,
    contactId: string,
    source?: string,
  ): Promise<OpenedOpportunity | undefined> {
    const pipelineId = await this.repository.findDefaultPipelineId(tx);

    if (!pipelineId) {
      return undefined;
    }

    const open = await this.repository.findOpen(tx, pipelineId, contactId);

    if (open) {
      return { ...open, isNew: false };
    }

    const created = await this.repository.create(tx, { tenantId, pipelineId, contactId, source });

    return { ...created, isNew: true };
  }
}
