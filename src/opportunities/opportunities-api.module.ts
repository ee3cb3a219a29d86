import { Module } from '@nestjs/common';

import { AuditModule } from '../audit/audit.module';
import { TenantsModule } from '../tenants/tenants.module';
import { OpportunitiesController } from './opportunities.controller';
import { OpportunitiesQueryRepository } from './opportunities-query.repository';
import { OpportunitiesQueryService } from './opportunities-query.service';
import { OpportunityStatusRepository } from './opportunity-status.repository';
import { OpportunityStatusService } from './opportunity-status.service';
import { PipelinesController } from './pipelines.controller';

/** Opportunities and pipelines in the tenant API (/v1/opportunities, /v1/pipelines). */
@Module({
  imports: [TenantsModule, AuditModule],
  controllers: [OpportunitiesController, PipelinesController],
  providers: [
    OpportunitiesQueryService,
    OpportunitiesQueryRepository,
    OpportunityStatusService,
    OpportunityStatusRepository,
  ],
})
export class OpportunitiesApiModule {}
