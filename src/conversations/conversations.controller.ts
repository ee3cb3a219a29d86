import { Controller, Get, Query } from '@nestjs/common';

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
import { ConversationsQueryService } from './conversations-query.service';
import type { ConversationView, MessageView } from './conversations-query.repository';
import { ListConversationsQuery } from './dto/list-conversations.dto';
import { ListMessagesQuery } from './dto/list-messages.dto';

@Controller('v1/conversations')
@UseTenantRateLimit(ApiKeyGuard)
@TenantRateLimitBucket('api')
@RequireScopes(['read'])
export class ConversationsController {
  constructor(private readonly conversations: ConversationsQueryService) {}

  @Get()
  list(
    @CurrentTenant() tenant: AuthenticatedTenant,
    @Query() query: ListConversationsQuery,
  ): Promise<Page<ConversationView>> {
    return this.conversations.list(tenant.tenantId, query);
  }

  @Get(':id')
  get(
    @CurrentTenant() tenant: AuthenticatedTenant,
    @UuidParam('id') id: string,
  ): Promise<ConversationView> {
    return this.conversations.get(tenant.tenantId, id);
  }

  @Get(':id/messages')
  listMessages(
    @CurrentTenant() tenant: AuthenticatedTenant,
    @UuidParam('id') id: string,
    @Query() query: ListMessagesQuery,
  ): Promise<Page<MessageView>> {
    return this.conversations.listMessages(tenant.tenantId, id, query);
  }
}
