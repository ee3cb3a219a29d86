import type { ContactAttachment } from '../../conversations/inbound-message';

/** A validated Blooio webhook in our own terms. */
export interface BlooioEvent {
  type: string;
  messageId: string;
  /** The contact's phone or email for 1:1 chats, the group id for group chats. */
  externalId?: string;
  protocol?: string;
  text: string;
  attachments: ContactAttachment[];
  isGroup: boolean;
  groupId?: string;
  sender?: string;
  /** When Blooio sent the webhook; our clock when absent. */
  occurredAt: Date;
  receivedAt?: Date;
  sentAt?: Date;
  deliveredAt?: Date;
  readAt?: Date;
  errorCode?: string;
  errorMessage?: string;
}
