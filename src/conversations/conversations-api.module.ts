import { Module } from '@nestjs/common';

import { ThrottlingModule } from '../common/throttling/throttling.module';
import { TenantsModule } from '../tenants/tenants.module';
import { ConversationsController } from './conversations.controller';
import { ConversationsQueryRepository } from './conversations-query.repository';
import { ConversationsQueryService } from './conversations-query.service';

/** The read side of conversations and messages in the tenant API (/v1/conversations). */
@Module({
  imports: [ThrottlingModule, TenantsModule],
  controllers: [ConversationsController],
  providers: [ConversationsQueryService, ConversationsQueryRepository],
})
export class ConversationsApiModule {}
