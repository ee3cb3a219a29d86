import { Controller, Get } from '@nestjs/common';

import { CurrentTenant } from '../common/auth/current-tenant.decorator';
import { RequireScopes } from '../common/auth/require-scopes.decorator';
import type { AuthenticatedTenant } from '../common/auth/tenant-request';
import {
  TenantRateLimitBucket,
  UseTenantRateLimit,
} from '../common/throttling/tenant-throttler.guard';
import { ApiKeyGuard } from '../tenants/api-key.guard';
import { OpportunitiesQueryService } from './opportunities-query.service';
import type { PipelineView } from './opportunities-query.repository';

@Controller('v1/pipelines')
@UseTenantRateLimit(ApiKeyGuard)
@TenantRateLimitBucket('api')
@RequireScopes(['read'])
export class PipelinesController {
  constructor(private readonly opportunities: OpportunitiesQueryService) {}

  @Get()
  list(@CurrentTenant() tenant: AuthenticatedTenant): Promise<{ data: PipelineView[] }> {
    return this.opportunities.listPipelines(tenant.tenantId);
  }
}
