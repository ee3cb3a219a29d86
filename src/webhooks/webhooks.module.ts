import { Module } from '@nestjs/common';

import { ContactsModule } from '../contacts/contacts.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { OpportunitiesModule } from '../opportunities/opportunities.module';
import { TenantsModule } from '../tenants/tenants.module';
import { BlooioInboundService } from './blooio/blooio-inbound.service';
import { BlooioSignatureGuard } from './blooio/blooio-signature.guard';
import { BlooioSigningKeys } from './blooio/blooio-signing-keys';
import { BlooioStatusService } from './blooio/blooio-status.service';
import { BlooioWebhookController } from './blooio/blooio-webhook.controller';
import { BlooioWebhookService } from './blooio/blooio-webhook.service';
import { WebhookTenantRepository } from './webhook-tenant.repository';
import { LeadIntakeController } from './lead-intake/lead-intake.controller';
import { LeadIntakeService } from './lead-intake/lead-intake.service';
import { WebhookErrorFilter } from './webhook-error.filter';
import { WebhookInboxRepository } from './webhook-inbox.repository';

@Module({
  imports: [ContactsModule, ConversationsModule, OpportunitiesModule, TenantsModule],
  controllers: [BlooioWebhookController, LeadIntakeController],
  providers: [
    BlooioInboundService,
    BlooioSignatureGuard,
    BlooioSigningKeys,
    BlooioStatusService,
    BlooioWebhookService,
    LeadIntakeService,
    WebhookErrorFilter,
    WebhookInboxRepository,
    WebhookTenantRepository,
  ],
})
export class WebhooksModule {}
