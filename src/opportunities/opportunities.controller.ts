import { Body, Controller, Get, Patch, Query } from '@nestjs/common';

import { CurrentTenant } from '../common/auth/current-tenant.decorator';
import { RequireScopes } from '../common/auth/require-scopes.decorator';
import type { AuthenticatedTenant } from '../common/auth/tenant-request';
import type { Page } from '../common/pagination/page';
import { UuidParam } from '../common/pipes/uuid-param';
import {
  TenantRateLimitBucket,
  UseTenantRateLimit,
} from '../common/throttling/tenant-throttler.guard';
import { ApiKeyGuard } from '../tenants/api-key.guard';
import { ListOpportunitiesQuery } from './dto/list-opportunities.dto';
import { UpdateOpportunityStatusDto } from './dto/update-opportunity-status.dto';
import { OpportunitiesQueryService } from './opportunities-query.service';
import type { OpportunityView } from './opportunities-query.repository';
import { OpportunityStatusService } from './opportunity-status.service';

@Controller('v1/opportunities')
@UseTenantRateLimit(ApiKeyGuard)
@TenantRateLimitBucket('api')
@RequireScopes(['read'])
export class OpportunitiesController {
  constructor(
    private readonly opportunities: OpportunitiesQueryService,
    private readonly statuses: OpportunityStatusService,
  ) {}

  @Get()
  list(
    @CurrentTenant() tenant: AuthenticatedTenant,
    @Query() query: ListOpportunitiesQuery,
  ): Promise<Page<OpportunityView>> {
    return this.opportunities.list(tenant.tenantId, query);
  }

  @Get(':id')
  get(
    @CurrentTenant() tenant: AuthenticatedTenant,
    @UuidParam('id') id: string,
  ): Promise<OpportunityView> {
    return this.opportunities.get(tenant.tenantId, id);
  }

  @Patch(':id/status')
  @RequireScopes(['write'])
  changeStatus(
    @CurrentTenant() tenant: AuthenticatedTenant,
    @UuidParam('id') id: string,
    @Body() body: UpdateOpportunityStatusDto,
  ): Promise<OpportunityView> {
    return this.statuses.changeStatus(tenant.tenantId, apiKeyActor(tenant), id, body);
  }
}

function apiKeyActor(tenant: AuthenticatedTenant): string {
  return tenant.apiKeyId ? `api-key:${tenant.apiKeyId}` : 'api';
}
