import { Module } from '@nestjs/common';

import { AuditLogModule } from '../audit-log/audit-log.module';
import { ApiKeyAdminRepository } from './api-key-admin.repository';
import { ApiKeyAdminService } from './api-key-admin.service';
import { ConversationAdminRepository } from './conversation-admin.repository';
import { ConversationAdminService } from './conversation-admin.service';
import { EncryptionKeyCheck } from './encryption-key-check';
import { LoopBreakerAdminService } from './loop-breaker-admin.service';
import { LoopBreakerRepository } from './loop-breaker.repository';
import { TenantAdminRepository } from './tenant-admin.repository';
import { TenantAdminService } from './tenant-admin.service';
import { TenantDirectoryRepository } from './tenant-directory.repository';
import { TenantLookup } from './tenant-lookup';
import { TenantSendingAdminService } from './tenant-sending-admin.service';
import { WebhookSecretAdminService } from './webhook-secret-admin.service';
import { WebhookSecretRepository } from './webhook-secret.repository';

/** Operator actions behind the administration CLI. Each change writes audit_log in its transaction. */
@Module({
  imports: [AuditLogModule],
  providers: [
    ApiKeyAdminRepository,
    ApiKeyAdminService,
    ConversationAdminRepository,
    ConversationAdminService,
    EncryptionKeyCheck,
    LoopBreakerAdminService,
    LoopBreakerRepository,
    TenantAdminRepository,
    TenantAdminService,
    TenantDirectoryRepository,
    TenantLookup,
    TenantSendingAdminService,
    WebhookSecretAdminService,
    WebhookSecretRepository,
  ],
  exports: [
    ApiKeyAdminService,
    ConversationAdminService,
    LoopBreakerAdminService,
    TenantAdminService,
    TenantSendingAdminService,
    WebhookSecretAdminService,
  ],
})
export class AdminModule {}
