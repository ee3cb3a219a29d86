import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { sqlStateOf } from '../database/database-errors';
import { TenantDatabase } from '../database/tenant-database';
import type { InboundMessageInput, StoredInboundMessage } from './inbound-message';

/** The SQLSTATE store_inbound_message raises when the provider message id is already stored. */
const messageAlreadyStored = 'AI409';

interface StoreRow {
  outcome: 'stored' | 'duplicate';
  contact_id: string | null;
  conversation_id: string | null;
  message_id: string | null;
}

/** A delivery's source and its key in the webhook inbox (webhook_events). */
export interface InboundDelivery {
  source: 'blooio';
  dedupKey: string;
}

/**
 * Records a received message with one call of the SQL function store_inbound_message (migration
 * 20261205000000). The function claims the delivery's inbox key, upserts the contact and the
 * conversation, inserts the message and queues the reply job of a message awaiting one. It does
 * all that in one transaction under the tenant's row-level security, so whatever must happen
 * atomically with storing a message belongs in that function.
 */
@Injectable()
export class InboundMessageStore {
  constructor(
    private readonly db: TenantDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Stores the message and returns its ids. Returns undefined, and changes nothing, when the
   * delivery's key was claimed before or the provider message id is already stored.
   */
  async store(
    delivery: InboundDelivery,
    input: InboundMessageInput,
  ): Promise<StoredInboundMessage | undefined> {
    const row = await this.db
      .selfScoped(input.tenantId, async (client) => {
        const rows = await client.$queryRaw<StoreRow[]>`
          SELECT outcome, contact_id, conversation_id, message_id
          FROM public.store_inbound_message(
            ${input.tenantId}::uuid, ${delivery.source}::text, ${delivery.dedupKey}::text,
            ${input.contact.kind}::text, ${input.contact.value}::text, ${input.chatAddress}::text,
            ${input.ourNumber}::text, ${input.providerMessageId}::text,
            ${input.protocol ?? null}::text, ${input.body}::text,
            ${JSON.stringify(input.attachments)}::jsonb, ${input.receivedAt}::timestamptz,
            ${input.replyState}::reply_state, ${this.config.replies.worker.maxAttempts}::int)`;

        return rows[0];
      })
      .catch((error: unknown) => {
        if (sqlStateOf(error) === messageAlreadyStored) {
          return undefined;
        }

        throw error;
      });

    if (row?.outcome !== 'stored' || !row.contact_id || !row.conversation_id || !row.message_id) {
      return undefined;
    }

    return {
      contactId: row.contact_id,
      conversationId: row.conversation_id,
      messageId: row.message_id,
    };
  }
}
