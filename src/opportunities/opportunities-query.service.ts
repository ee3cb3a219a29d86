import { Injectable } from '@nestjs/common';

import { decodeCursor } from '../common/pagination/cursor';
import { toPage } from '../common/pagination/page';
import type { Page } from '../common/pagination/page';
import { TenantDatabase } from '../database/tenant-database';
import { OpportunityNotFoundError } from './opportunities-api.errors';
import { OpportunitiesQueryRepository } from './opportunities-query.repository';
import type { OpportunityView, PipelineView } from './opportunities-query.repository';
import type { ListOpportunitiesQuery } from './dto/list-opportunities.dto';

/** Reads a tenant's opportunities (newest first, cursor-paginated) and pipelines. */
@Injectable()
export class OpportunitiesQueryService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly repository: OpportunitiesQueryRepository,
  ) {}

  list(tenantId: string, query: ListOpportunitiesQuery): Promise<Page<OpportunityView>> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;

    return this.db.transaction(tenantId, async (tx) => {
      const rows = await this.repository.list(tx, {
        tenantId,
        pipelineId: query.pipelineId,
        status: query.status,
        after,
        take: query.limit + 1,
      });

      return toPage(rows, query.limit);
    });
  }

  get(tenantId: string, id: string): Promise<OpportunityView> {
    return this.db.transaction(tenantId, async (tx) => {
      const opportunity = await this.repository.findById(tx, id);

      if (!opportunity) {
        throw new OpportunityNotFoundError(id);
      }

      return opportunity;
    });
  }

  async listPipelines(tenantId: string): Promise<{ data: PipelineView[] }> {
    const data = await this.db.transaction(tenantId, (tx) => this.repository.listPipelines(tx));

    return { data };
  }
}
