import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import { Prisma } from '../generated/prisma/client';
import type { InboundMessageInput } from './inbound-message';

// Column of the contact's unique key (phone, or email for iMessage), from this fixed set and never from input.
const contactColumn = { phone: Prisma.raw('phone'), email: Prisma.raw('email') } as const;

/**
 * Writes a received message in one statement: the contact upsert, the conversation upsert and the
 * message insert are data-modifying CTEs, so storing costs one database round trip instead of
 * three. ON CONFLICT DO UPDATE on the contact and the conversation makes concurrent first messages
 * from one person return the same rows instead of failing or missing them.
 */
export interface InsertedInboundMessage {
  contactId: string;
  conversationId: string;
  /** Null when a message with this provider id already exists. */
  messageId: string | null;
}

@Injectable()
export class InboundMessageRepository {
  async insert(tx: TenantTransaction, input: InboundMessageInput): Promise<InsertedInboundMessage> {
    const column = contactColumn[input.contact.kind];
    const rows = await tx.$queryRaw<InsertedInboundMessage[]>`
      WITH contact AS (
        INSERT INTO contacts (id, tenant_id, ${column}, updated_at)
        VALUES (gen_random_uuid(), ${input.tenantId}::uuid, ${input.contact.value}::text, now())
        ON CONFLICT (tenant_id, ${column}) DO UPDATE SET updated_at = now()
        RETURNING id
      ), conversation AS (
        INSERT INTO conversations
          (id, tenant_id, contact_id, phone, our_number, protocol, last_message_at, updated_at)
        SELECT gen_random_uuid(), ${input.tenantId}::uuid, contact.id, ${input.chatAddress}::text,
          ${input.ourNumber}::text, ${input.protocol ?? null}::text, ${input.receivedAt}::timestamptz, now()
        FROM contact
        ON CONFLICT (tenant_id, phone, our_number) DO UPDATE SET
          last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at),
          protocol = COALESCE(EXCLUDED.protocol, conversations.protocol),
          updated_at = now()
        RETURNING id
      ), message AS (
        INSERT INTO messages
          (id, tenant_id, conversation_id, direction, provider_message_id, body, attachments,
           protocol, status, reply_state, received_at, updated_at)
        SELECT gen_random_uuid(), ${input.tenantId}::uuid, conversation.id,
          'inbound'::message_direction, ${input.providerMessageId}::text, ${input.body}::text,
          ${JSON.stringify(input.attachments)}::jsonb, ${input.protocol ?? null}::text,
          'received'::message_status, ${input.replyState}::reply_state,
          ${input.receivedAt}::timestamptz, now()
        FROM conversation
        ON CONFLICT (tenant_id, provider_message_id) DO NOTHING
        RETURNING id
      )
      SELECT contact.id AS "contactId", conversation.id AS "conversationId", message.id AS "messageId"
      FROM contact CROSS JOIN conversation LEFT JOIN message ON true`;

    return rows[0];
  }
}
