import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import type { InboundMessageInput } from './inbound-message';

/** Conversation and inbound message rows, written inside the caller's tenant transaction. */
@Injectable()
export class ConversationsRepository {
  /** Returns the id of the conversation between this chat address and our number, creating it if needed. */
  async upsertConversation(
    tx: TenantTransaction,
    input: InboundMessageInput,
    contactId: string,
  ): Promise<string> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO conversations
        (id, tenant_id, contact_id, phone, our_number, protocol, last_message_at, updated_at)
      VALUES (gen_random_uuid(), ${input.tenantId}::uuid, ${contactId}::uuid, ${input.chatAddress},
        ${input.ourNumber}, ${input.protocol ?? null}, ${input.receivedAt}, now())
      ON CONFLICT (tenant_id, phone, our_number) DO UPDATE SET
        last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at),
        protocol = COALESCE(EXCLUDED.protocol, conversations.protocol),
        updated_at = now()
      RETURNING id`;

    return rows[0].id;
  }

  /** Inserts the message; returns undefined when a message with this provider id already exists. */
  async insertInboundMessage(
    tx: TenantTransaction,
    input: InboundMessageInput,
    conversationId: string,
  ): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO messages
        (id, tenant_id, conversation_id, direction, provider_message_id, body, attachments,
         protocol, status, reply_state, received_at, updated_at)
      VALUES (gen_random_uuid(), ${input.tenantId}::uuid, ${conversationId}::uuid,
        'inbound'::message_direction, ${input.providerMessageId}, ${input.body},
        ${JSON.stringify(input.attachments)}::jsonb, ${input.protocol ?? null},
        'received'::message_status, ${input.replyState}::reply_state, ${input.receivedAt}, now())
      ON CONFLICT (tenant_id, provider_message_id) DO NOTHING
      RETURNING id`;

    return rows[0]?.id;
  }
}
