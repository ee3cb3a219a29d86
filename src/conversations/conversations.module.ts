import { Module } from '@nestjs/common';

import { DeliveryStatusRepository } from './delivery-status.repository';
import { DeliveryStatusService } from './delivery-status.service';
import { InboundMessageStore } from './inbound-message.store';

@Module({
  providers: [DeliveryStatusRepository, DeliveryStatusService, InboundMessageStore],
  exports: [InboundMessageStore, DeliveryStatusService],
})
export class ConversationsModule {}
