import type { ContactAddress } from '../common/phone/phone-number';

export interface ContactAttachment {
  url: string;
  name?: string;
}

/** One received message, as InboundMessageStore.storeInbound records it. */
export interface InboundMessageInput {
  tenantId: string;
  /** The person who wrote, normalised: their contact row is created on first contact. */
  contact: ContactAddress;
  /** The chat's address at Blooio: the contact's phone or email, or a group id. */
  chatAddress: string;
  /** Our number that received the message, in E.164. */
  ourNumber: string;
  providerMessageId: string;
  protocol?: string;
  body: string;
  attachments: ContactAttachment[];
  receivedAt: Date;
  /** awaiting_reply hands the message to reply processing; none stores it without a reply. */
  replyState: 'awaiting_reply' | 'none';
}

export interface StoredInboundMessage {
  contactId: string;
  conversationId: string;
  messageId: string;
}
