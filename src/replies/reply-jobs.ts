import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import type { TenantTransaction } from '../database/tenant-database';
import type { ReplyJobPayload } from './reply-processor';
import { uuidPattern } from '../common/validation/uuid-pattern';

/** The graphile-worker task that replies to one inbound message. */
export const REPLY_TASK = 'send_reply';

export function replyJobKey(messageId: string): string {
  return `reply:${messageId}`;
}

/** Validates a job payload read back from the queue; returns null when it is not one of ours. */
export function parseReplyJobPayload(payload: unknown): ReplyJobPayload | null {
  const candidate = payload as Partial<Record<keyof ReplyJobPayload, unknown>> | null;
  const { tenantId, messageId } = candidate ?? {};

  if (typeof tenantId !== 'string' || typeof messageId !== 'string') {
    return null;
  }

  return uuidPattern.test(tenantId) && uuidPattern.test(messageId) ? { tenantId, messageId } : null;
}

/**
 * Hands inbound messages to the reply worker. The job is a row in graphile_worker's tables, added
 * by the caller's own transaction: it exists exactly when the message does, with no outbox to relay.
 */
@Injectable()
export class ReplyJobs {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /**
   * Adds the reply job for an inbound message inside the transaction that stores the message. The
   * job key is derived from the message id, and job_key_mode unsafe_dedupe leaves an existing job
   * with that key untouched, even a running one, so enqueueing the same message twice is a no-op.
   */
  async enqueueInTransaction(tx: TenantTransaction, job: ReplyJobPayload): Promise<void> {
    if (!parseReplyJobPayload(job)) {
      throw new Error('A reply job needs a tenant id and a message id (uuids)');
    }

    await tx.$executeRaw`
      SELECT graphile_worker.add_job(
        ${REPLY_TASK},
        json_build_object('tenantId', ${job.tenantId}::text, 'messageId', ${job.messageId}::text),
        max_attempts => ${this.config.replies.worker.maxAttempts}::int,
        job_key => ${replyJobKey(job.messageId)},
        job_key_mode => 'unsafe_dedupe'
      )`;
  }
}
