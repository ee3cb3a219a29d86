import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import { messageStatusesBefore, sendStatusesBefore } from './delivery-status';
import { DeliveryStatusRepository } from './delivery-status.repository';
import type { DeliveryUpdate } from './delivery-status.repository';

export type DeliveryOutcome = 'updated' | 'unchanged' | 'unknown_message';

/** Applies a provider's delivery report to our outbound message and its send record. */
@Injectable()
export class DeliveryStatusService {
  constructor(private readonly repository: DeliveryStatusRepository) {}

  async apply(tx: TenantTransaction, update: DeliveryUpdate): Promise<DeliveryOutcome> {
    const messages = await this.repository.advanceMessage(
      tx,
      update,
      messageStatusesBefore(update.status),
    );
    const sends = await this.repository.advanceSend(tx, update, sendStatusesBefore(update.status));

    if (messages + sends > 0) {
      return 'updated';
    }

    const isKnown = await this.repository.isKnownOutbound(
      tx,
      update.tenantId,
      update.providerMessageId,
    );

    return isKnown ? 'unchanged' : 'unknown_message';
  }
}
