import { Module } from '@nestjs/common';

import { ConversationsModule } from '../conversations/conversations.module';
import { BlooioInboundService } from './blooio/blooio-inbound.service';
import { BlooioSignatureGuard } from './blooio/blooio-signature.guard';
import { BlooioSigningKeys } from './blooio/blooio-signing-keys';
import { BlooioStatusService } from './blooio/blooio-status.service';
import { BlooioWebhookController } from './blooio/blooio-webhook.controller';
import { BlooioWebhookService } from './blooio/blooio-webhook.service';
import { WebhookSecretRepository } from './blooio/webhook-secret.repository';
import { WebhookErrorFilter } from './webhook-error.filter';
import { WebhookInboxRepository } from './webhook-inbox.repository';

@Module({
  imports: [ConversationsModule],
  controllers: [BlooioWebhookController],
  providers: [
    BlooioInboundService,
    BlooioSignatureGuard,
    BlooioSigningKeys,
    BlooioStatusService,
    BlooioWebhookService,
    WebhookErrorFilter,
    WebhookInboxRepository,
    WebhookSecretRepository,
  ],
})
export class WebhooksModule {}
