import { Module } from '@nestjs/common';

import { AuditLogModule } from '../audit-log/audit-log.module';
import { ThrottlingModule } from '../common/throttling/throttling.module';
import { TenantsModule } from '../tenants/tenants.module';
import { OpportunitiesController } from './opportunities.controller';
import { OpportunitiesQueryRepository } from './opportunities-query.repository';
import { OpportunitiesQueryService } from './opportunities-query.service';
import { OpportunityStatusRepository } from './opportunity-status.repository';
import { OpportunityStatusService } from './opportunity-status.service';
import { PipelinesController } from './pipelines.controller';

/** Opportunities and pipelines in the tenant API (/v1/opportunities, /v1/pipelines). */
@Module({
  imports: [ThrottlingModule, TenantsModule, AuditLogModule],
  controllers: [OpportunitiesController, PipelinesController],
  providers: [
    OpportunitiesQueryService,
    OpportunitiesQueryRepository,
    OpportunityStatusService,
    OpportunityStatusRepository,
  ],
})
export class OpportunitiesApiModule {}
