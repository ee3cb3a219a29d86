import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import type {
  Contact,
  Conversation,
  Message,
  OutboundSend,
  ReplyState,
  Tenant,
} from '../generated/prisma/client';
import type { ConversationTurn } from './responders/responder';

export interface InboundContext {
  message: Message;
  conversation: Conversation;
  contact: Contact;
  tenant: Tenant;
}

/** Reads and updates the inbound side of a reply: the message, its contact and conversation. */
@Injectable()
export class ReplyRepository {
  async loadInbound(tx: TenantTransaction, messageId: string): Promise<InboundContext | null> {
    const message = await tx.message.findUnique({
      where: { id: messageId },
      include: { conversation: { include: { contact: true } }, tenant: true },
    });

    if (!message || message.direction !== 'inbound') {
      return null;
    }

    const { conversation, tenant, ...plain } = message;
    const { contact, ...conversationRow } = conversation;

    return { message: plain, conversation: conversationRow, contact, tenant };
  }

  async findSendByKey(tx: TenantTransaction, idempotencyKey: string): Promise<OutboundSend | null> {
    return tx.outboundSend.findUnique({ where: { idempotencyKey } });
  }

  /** Returns the last `limit` messages of a conversation up to `until`, oldest first. */
  async loadHistory(
    tx: TenantTransaction,
    conversationId: string,
    until: Date,
    limit: number,
  ): Promise<ConversationTurn[]> {
    const rows = await tx.message.findMany({
      where: { conversationId, createdAt: { lte: until }, body: { not: '' } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
      select: { direction: true, body: true },
    });

    return rows.reverse().map((row) => ({
      role: row.direction === 'inbound' ? 'contact' : 'business',
      text: row.body,
    }));
  }

  async setReplyState(
    tx: TenantTransaction,
    messageId: string,
    replyState: ReplyState,
    replyReason?: string | null,
  ): Promise<void> {
    // An undefined reason keeps the one stored earlier, e.g. the fallback's reason at reservation.
    await tx.message.update({ where: { id: messageId }, data: { replyState, replyReason } });
  }

  async setOptedOut(
    tx: TenantTransaction,
    contactId: string,
    optedOutAt: Date | null,
  ): Promise<void> {
    await tx.contact.update({ where: { id: contactId }, data: { optedOutAt } });
  }
}
