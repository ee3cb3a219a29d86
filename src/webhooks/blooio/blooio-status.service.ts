import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import type { DeliveryStatus } from '../../conversations/delivery-status';
import { DeliveryStatusService } from '../../conversations/delivery-status.service';
import { TenantDatabase } from '../../database/tenant-database';
import { WebhookInboxRepository } from '../webhook-inbox.repository';
import type { BlooioEvent } from './blooio-event';
import type { BlooioOutcome } from './dto/blooio-webhook-response.dto';
import type { VerifiedBlooioWebhook } from './verified-webhook';

// A Map, not an object literal, so event names such as "constructor" find nothing.
export const statusByEvent = new Map<string, DeliveryStatus>([
  ['message.sent', 'sent'],
  ['message.delivered', 'delivered'],
  ['message.read', 'read'],
  ['message.failed', 'failed'],
]);

function reportedAt(event: BlooioEvent, status: DeliveryStatus): Date {
  const byStatus = {
    sent: event.sentAt,
    delivered: event.deliveredAt,
    read: event.readAt,
    failed: undefined,
  };

  return byStatus[status] ?? event.occurredAt;
}

/**
 * Applies message.sent/delivered/read/failed to our outbound message, once per delivery. A report
 * for a message id we do not know yet leaves no inbox row, so a redelivery can still apply it.
 */
@Injectable()
export class BlooioStatusService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly inbox: WebhookInboxRepository,
    private readonly deliveryStatus: DeliveryStatusService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BlooioStatusService.name);
  }

  async apply(
    webhook: VerifiedBlooioWebhook,
    event: BlooioEvent,
    status: DeliveryStatus,
  ): Promise<BlooioOutcome> {
    const { tenantId } = webhook;
    const dedupKey = `${event.messageId}:${event.type}`;
    const outcome = await this.db.transaction(tenantId, async (tx): Promise<BlooioOutcome> => {
      const claimId = await this.inbox.claim(tx, tenantId, 'blooio', dedupKey);

      if (!claimId) {
        return 'duplicate';
      }

      const result = await this.deliveryStatus.apply(tx, {
        tenantId,
        providerMessageId: event.messageId,
        status,
        at: reportedAt(event, status),
        errorCode: status === 'failed' ? event.errorCode : undefined,
        errorMessage: status === 'failed' ? event.errorMessage : undefined,
      });

      if (result === 'unknown_message') {
        await this.inbox.release(tx, claimId);
      }

      return result;
    });

    this.logger.info(
      // The signature guard already put tenantId on the request's logger.
      { providerMessageId: event.messageId, status, outcome },
      'Applied delivery status',
    );

    return outcome;
  }
}
