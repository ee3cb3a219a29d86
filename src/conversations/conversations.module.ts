import { Module } from '@nestjs/common';

import { ContactsModule } from '../contacts/contacts.module';
import { RepliesModule } from '../replies/replies.module';
import { ConversationsRepository } from './conversations.repository';
import { DeliveryStatusRepository } from './delivery-status.repository';
import { DeliveryStatusService } from './delivery-status.service';
import { InboundMessageStore } from './inbound-message.store';

@Module({
  imports: [ContactsModule, RepliesModule],
  providers: [
    ConversationsRepository,
    DeliveryStatusRepository,
    DeliveryStatusService,
    InboundMessageStore,
  ],
  exports: [InboundMessageStore, DeliveryStatusService],
})
export class ConversationsModule {}
