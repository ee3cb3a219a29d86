import { Module } from '@nestjs/common';

import { AlertsModule } from '../alerts/alerts.module';
import { BlooioModule } from '../blooio/blooio.module';
import { GuardRepository } from './guard.repository';
import { ReplyRepository } from './reply.repository';
import { ReplyComposer } from './reply-composer';
import { ReplyDelivery } from './reply-delivery';
import { ReplyJobs } from './reply-jobs';
import { ReplyProcessor } from './reply-processor';
import { ReplyWorker } from './reply-worker';
import { responderProvider } from './responders/responder.provider';
import { SendRepository } from './send.repository';
import { SpendGuard } from './spend-guard';

@Module({
  imports: [AlertsModule, BlooioModule],
  providers: [
    GuardRepository,
    ReplyRepository,
    SendRepository,
    SpendGuard,
    ReplyComposer,
    ReplyDelivery,
    ReplyProcessor,
    ReplyJobs,
    ReplyWorker,
    responderProvider,
  ],
  exports: [ReplyJobs],
})
export class RepliesModule {}
