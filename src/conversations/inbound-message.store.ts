import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import { ReplyJobs } from '../replies/reply-jobs';
import type { InboundMessageInput, StoredInboundMessage } from './inbound-message';
import { InboundMessageRepository } from './inbound-message.repository';

/**
 * Records a received message: upserts the contact and the conversation and inserts the message, in
 * the caller's tenant transaction. Whatever must happen atomically with storing a message (handing
 * it to reply processing, for instance) belongs in storeInbound, inside that same transaction.
 */
@Injectable()
export class InboundMessageStore {
  constructor(
    private readonly messages: InboundMessageRepository,
    private readonly replyJobs: ReplyJobs,
  ) {}

  /** Returns the stored ids, or undefined when this provider message id is already stored. */
  async storeInbound(
    tx: TenantTransaction,
    input: InboundMessageInput,
  ): Promise<StoredInboundMessage | undefined> {
    const { contactId, conversationId, messageId } = await this.messages.insert(tx, input);

    if (!messageId) {
      return undefined;
    }

    if (input.replyState === 'awaiting_reply') {
      await this.replyJobs.enqueueInTransaction(tx, { tenantId: input.tenantId, messageId });
    }

    return { contactId, conversationId, messageId };
  }
}
