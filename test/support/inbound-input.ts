import type { InboundMessageInput } from '../../src/conversations/inbound-message';

/** Builds a one-to-one text message from a phone contact to `ourNumber`, awaiting a reply. */
export function inboundInput(fields: {
  tenantId: string;
  ourNumber: string;
  providerMessageId: string;
  phone: string;
}): InboundMessageInput {
  return {
    tenantId: fields.tenantId,
    contact: { kind: 'phone', value: fields.phone },
    chatAddress: fields.phone,
    ourNumber: fields.ourNumber,
    providerMessageId: fields.providerMessageId,
    body: 'hello',
    attachments: [],
    receivedAt: new Date(),
    replyState: 'awaiting_reply',
  };
}
