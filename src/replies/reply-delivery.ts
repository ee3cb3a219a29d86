import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { AlertService } from '../alerts/alert.service';
import { BlooioClient } from '../blooio/blooio-client';
import { BlooioSendRejectedError, BlooioUnavailableError } from '../blooio/blooio.errors';
import { TenantDatabase } from '../database/tenant-database';
import type { TenantTransaction } from '../database/tenant-database';
import type { Conversation, OutboundSend } from '../generated/prisma/client';
import { ReplyRepository } from './reply.repository';
import { SendRepository } from './send.repository';

/**
 * Sends a reserved send through Blooio and records the outcome. Accepted and duplicate responses
 * mark it accepted. A rejection marks it failed for good and raises an alert. An unavailable Blooio
 * leaves it pending and rethrows, so the job retries with the same idempotency key.
 */
@Injectable()
export class ReplyDelivery {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly blooio: BlooioClient,
    private readonly replyRepository: ReplyRepository,
    private readonly sendRepository: SendRepository,
    private readonly alerts: AlertService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReplyDelivery.name);
  }

  async deliver(
    send: OutboundSend,
    conversation: Conversation,
    signal?: AbortSignal,
  ): Promise<void> {
    const ids = { tenantId: send.tenantId, sendId: send.id, messageId: send.inboundMessageId };

    try {
      const result = await this.blooio.send(
        {
          chatId: conversation.phone,
          fromNumber: conversation.ourNumber,
          text: send.body,
          idempotencyKey: send.idempotencyKey,
        },
        signal,
      );

      await this.tenantDatabase.transaction(send.tenantId, async (tx) => {
        await this.sendRepository.markAccepted(tx, send, result);
        await this.markInbound(tx, send, 'replied');
      });
      this.logger.info(
        { ...ids, outcome: result.outcome, attempts: result.attempts },
        'Reply sent',
      );
    } catch (error) {
      if (error instanceof BlooioSendRejectedError) {
        await this.recordRejection(send, error);

        return;
      }

      if (error instanceof BlooioUnavailableError) {
        await this.tenantDatabase.transaction(send.tenantId, (tx) =>
          this.sendRepository.recordTransientFailure(tx, send, error),
        );
        this.alerts.raise({
          kind: 'send_failed',
          message: `Blooio unavailable; the send stays pending and the job will retry: ${error.message}`,
          fingerprint: 'send_failed:unavailable',
          tenantId: send.tenantId,
          details: { sendId: send.id, attempts: error.attempts },
        });
      }

      throw error;
    }
  }

  private async recordRejection(send: OutboundSend, error: BlooioSendRejectedError): Promise<void> {
    await this.tenantDatabase.transaction(send.tenantId, async (tx) => {
      await this.sendRepository.markFailed(tx, send, error);
      await this.markInbound(tx, send, 'failed', error.code);
    });

    this.logger.error(
      { tenantId: send.tenantId, sendId: send.id, status: error.status, code: error.code },
      'Blooio rejected the send; it will not be retried',
    );
    this.alerts.raise({
      kind: error.isQuota() ? 'quota_reached' : 'send_failed',
      message: error.isQuota()
        ? `Blooio quota reached (${error.code}); sends are rejected until it resets`
        : `Blooio rejected a send with HTTP ${error.status} ${error.code}`,
      fingerprint: `send_rejected:${send.tenantId}:${error.code}`,
      tenantId: send.tenantId,
      details: { sendId: send.id, providerMessage: error.message || undefined },
    });
  }

  private async markInbound(
    tx: TenantTransaction,
    send: OutboundSend,
    state: 'replied' | 'failed',
    reason?: string,
  ): Promise<void> {
    if (send.inboundMessageId) {
      await this.replyRepository.setReplyState(tx, send.inboundMessageId, state, reason);
    }
  }
}
