import { Module } from '@nestjs/common';

import { RepliesModule } from '../replies/replies.module';
import { DeliveryStatusRepository } from './delivery-status.repository';
import { DeliveryStatusService } from './delivery-status.service';
import { InboundMessageRepository } from './inbound-message.repository';
import { InboundMessageStore } from './inbound-message.store';

@Module({
  imports: [RepliesModule],
  providers: [
    DeliveryStatusRepository,
    DeliveryStatusService,
    InboundMessageRepository,
    InboundMessageStore,
  ],
  exports: [InboundMessageStore, DeliveryStatusService],
})
export class ConversationsModule {}
