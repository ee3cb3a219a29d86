import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { toContactAddress } from '../../common/phone/phone-number';
import type { ContactAddress } from '../../common/phone/phone-number';
import type { InboundMessageInput } from '../../conversations/inbound-message';
import { InboundMessageStore } from '../../conversations/inbound-message.store';
import { TenantDatabase } from '../../database/tenant-database';
import { WebhookInboxRepository } from '../webhook-inbox.repository';
import { WebhookError } from '../webhooks.errors';
import type { BlooioEvent } from './blooio-event';
import type { BlooioOutcome } from './dto/blooio-webhook-response.dto';
import type { VerifiedBlooioWebhook } from './verified-webhook';

/** Thrown inside the transaction to roll it back when the message turns out to be stored already. */
class MessageAlreadyStored extends Error {}

function contactOf(event: BlooioEvent, region: string): ContactAddress {
  const raw = event.isGroup ? event.sender : event.externalId;

  if (!raw) {
    throw new WebhookError(
      'invalid_payload',
      event.isGroup ? 'sender is required for group messages' : 'external_id is required',
    );
  }

  const address = toContactAddress(raw, region);

  if (!address) {
    throw new WebhookError(
      'invalid_contact',
      `${event.isGroup ? 'sender' : 'external_id'} must be an email address or a phone number valid in region ${region}`,
    );
  }

  return address;
}

/**
 * Stores a message.received delivery once: the inbox row and the message are written in one tenant
 * transaction, so a redelivery, even a concurrent one, returns "duplicate" and changes nothing.
 */
@Injectable()
export class BlooioInboundService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly inbox: WebhookInboxRepository,
    private readonly store: InboundMessageStore,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BlooioInboundService.name);
  }

  async receive(webhook: VerifiedBlooioWebhook, event: BlooioEvent): Promise<BlooioOutcome> {
    const input = this.toInput(webhook, event);
    const dedupKey = `${event.messageId}:${event.type}`;
    const outcome = await this.db
      .transaction(webhook.tenantId, async (tx): Promise<BlooioOutcome> => {
        if (!(await this.inbox.claim(tx, webhook.tenantId, 'blooio', dedupKey))) {
          return 'duplicate';
        }

        const stored = await this.store.storeInbound(tx, input);

        if (!stored) {
          throw new MessageAlreadyStored();
        }

        this.logger.info(
          {
            tenantId: webhook.tenantId,
            messageId: stored.messageId,
            conversationId: stored.conversationId,
          },
          'Stored inbound message',
        );

        return 'stored';
      })
      .catch((error: unknown) => {
        if (error instanceof MessageAlreadyStored) {
          return 'duplicate' as const;
        }

        throw error;
      });

    if (outcome === 'duplicate') {
      this.logger.info(
        { tenantId: webhook.tenantId, providerMessageId: event.messageId },
        'Duplicate inbound delivery ignored',
      );
    }

    return outcome;
  }

  private toInput(webhook: VerifiedBlooioWebhook, event: BlooioEvent): InboundMessageInput {
    const contact = contactOf(event, webhook.defaultRegion);
    const chatAddress = event.isGroup
      ? (event.groupId ?? event.externalId ?? contact.value)
      : contact.value;

    return {
      tenantId: webhook.tenantId,
      contact,
      chatAddress,
      ourNumber: webhook.receivingNumber,
      providerMessageId: event.messageId,
      protocol: event.protocol,
      body: event.text,
      attachments: event.attachments,
      receivedAt: event.receivedAt ?? event.occurredAt,
      // NOTE: group chats are stored without a reply: an automatic reply would reach every member.
      replyState: event.isGroup ? 'none' : 'awaiting_reply',
    };
  }
}
