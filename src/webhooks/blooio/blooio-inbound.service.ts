import { Injectable } from '@nestjs/common';

import { toContactAddress } from '../../common/phone/phone-number';
import type { ContactAddress } from '../../common/phone/phone-number';
import type { InboundMessageInput } from '../../conversations/inbound-message';
import { InboundMessageStore } from '../../conversations/inbound-message.store';
import { WebhookError } from '../webhooks.errors';
import type { BlooioEvent } from './blooio-event';
import type { BlooioOutcome } from './dto/blooio-webhook-response.dto';
import type { VerifiedBlooioWebhook } from './verified-webhook';
import { addRequestLogFields } from '../../logging/request-log-fields';

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
 * Stores a message.received delivery once. Claiming the delivery in the webhook inbox and storing
 * the message happen in one database transaction, so a redelivery, even a concurrent one, returns
 * "duplicate" and changes nothing.
 */
@Injectable()
export class BlooioInboundService {
  constructor(private readonly store: InboundMessageStore) {}

  async receive(webhook: VerifiedBlooioWebhook, event: BlooioEvent): Promise<BlooioOutcome> {
    const input = this.toInput(webhook, event);
    const stored = await this.store.store(
      { source: 'blooio', dedupKey: `${event.messageId}:${event.type}` },
      input,
    );

    // The outcome goes onto the request's own log line instead of a second line per message. The
    // signature guard has already put the tenant there, and adding it again would repeat the key.
    addRequestLogFields({
      providerMessageId: event.messageId,
      outcome: stored ? 'stored' : 'duplicate',
      messageId: stored?.messageId,
      conversationId: stored?.conversationId,
    });

    return stored ? 'stored' : 'duplicate';
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
