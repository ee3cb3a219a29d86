import { Module } from '@nestjs/common';

import { RetentionPruneService } from './retention-prune.service';
import { RetentionWorker } from './retention-worker';
import { RetentionRepository } from './retention.repository';

/** Deletes expired webhook_events and audit_log rows on a graphile-worker schedule. */
@Module({
  providers: [RetentionRepository, RetentionPruneService, RetentionWorker],
})
export class RetentionModule {}
