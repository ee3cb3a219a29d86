import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import type { MessageStatus, OutboundSend } from '../generated/prisma/client';

export type SendKind = 'reply' | 'help' | 'fallback' | 'opt_out' | 'opt_in';

export interface NewSend {
  tenantId: string;
  conversationId: string;
  inboundMessageId: string;
  idempotencyKey: string;
  kind: SendKind;
  body: string;
}

export interface AcceptedSend {
  providerMessageId?: string;
  providerStatus?: string;
  attempts: number;
}

const providerStatuses: readonly MessageStatus[] = [
  'pending',
  'queued',
  'sent',
  'delivered',
  'read',
];

function messageStatusOf(providerStatus?: string): MessageStatus {
  const status = providerStatuses.find((candidate) => candidate === providerStatus);

  return status ?? 'queued';
}

/**
 * Records outbound sends. A send is stored with status pending, together with its outbound message,
 * before Blooio is called, so a crash between the two leaves a record to resume with the same key.
 */
@Injectable()
export class SendRepository {
  async reserve(tx: TenantTransaction, send: NewSend): Promise<OutboundSend> {
    const message = await tx.message.create({
      data: {
        tenantId: send.tenantId,
        conversationId: send.conversationId,
        direction: 'outbound',
        body: send.body,
        status: 'pending',
      },
    });

    return tx.outboundSend.create({
      data: { ...send, messageId: message.id, status: 'pending' },
    });
  }

  async markAccepted(
    tx: TenantTransaction,
    send: OutboundSend,
    result: AcceptedSend,
  ): Promise<void> {
    const providerMessageId = result.providerMessageId ?? send.providerMessageId;
    const now = new Date();

    await tx.outboundSend.update({
      where: { id: send.id },
      data: {
        status: 'accepted',
        providerMessageId,
        attempts: { increment: result.attempts },
        acceptedAt: send.acceptedAt ?? now,
        errorCode: null,
        errorMessage: null,
      },
    });

    if (send.messageId) {
      // A status webhook may already have moved the message on; only a pending message changes here.
      await tx.message.updateMany({
        where: { id: send.messageId, status: 'pending' },
        data: { status: messageStatusOf(result.providerStatus), providerMessageId },
      });
    }

    await tx.conversation.update({
      where: { id: send.conversationId },
      data: { lastMessageAt: now },
    });
  }

  async markFailed(
    tx: TenantTransaction,
    send: OutboundSend,
    error: { code: string; message: string; attempts: number },
  ): Promise<void> {
    await tx.outboundSend.update({
      where: { id: send.id },
      data: {
        status: 'failed',
        attempts: { increment: error.attempts },
        errorCode: error.code,
        errorMessage: error.message.slice(0, 500),
      },
    });

    if (send.messageId) {
      await tx.message.update({
        where: { id: send.messageId },
        data: {
          status: 'failed',
          errorCode: error.code,
          errorMessage: error.message.slice(0, 500),
        },
      });
    }
  }

  /** Keeps a send pending for the next job attempt, noting how many requests this run made. */
  async recordTransientFailure(
    tx: TenantTransaction,
    send: OutboundSend,
    error: { message: string; attempts: number },
  ): Promise<void> {
    await tx.outboundSend.update({
      where: { id: send.id },
      data: {
        attempts: { increment: error.attempts },
        errorCode: 'unavailable',
        errorMessage: error.message.slice(0, 500),
      },
    });
  }
}
