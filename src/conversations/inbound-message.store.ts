import { Injectable } from '@nestjs/common';

import { ContactsRepository } from '../contacts/contacts.repository';
import type { TenantTransaction } from '../database/tenant-database';
import { ReplyJobs } from '../replies/reply-jobs';
import { ConversationsRepository } from './conversations.repository';
import type { InboundMessageInput, StoredInboundMessage } from './inbound-message';

/**
 * Records a received message: upserts the contact and the conversation and inserts the message, in
 * the caller's tenant transaction. Whatever must happen atomically with storing a message (handing
 * it to reply processing, for instance) belongs in storeInbound, inside that same transaction.
 */
@Injectable()
export class InboundMessageStore {
  constructor(
    private readonly contacts: ContactsRepository,
    private readonly conversations: ConversationsRepository,
    private readonly replyJobs: ReplyJobs,
  ) {}

  /** Returns the stored ids, or undefined when this provider message id is already stored. */
  async storeInbound(
    tx: TenantTransaction,
    input: InboundMessageInput,
  ): Promise<StoredInboundMessage | undefined> {
    const contactId = await this.contacts.upsertByAddress(tx, input.tenantId, input.contact);
    const conversationId = await this.conversations.upsertConversation(tx, input, contactId);
    const messageId = await this.conversations.insertInboundMessage(tx, input, conversationId);

    if (!messageId) {
      return undefined;
    }

    if (input.replyState === 'awaiting_reply') {
      await this.replyJobs.enqueueInTransaction(tx, { tenantId: input.tenantId, messageId });
    }

    return { contactId, conversationId, messageId };
  }
}
