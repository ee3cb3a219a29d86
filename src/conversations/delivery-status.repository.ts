import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import type { MessageStatus, SendStatus } from '../generated/prisma/enums';
import type { DeliveryStatus } from './delivery-status';

export interface DeliveryUpdate {
  tenantId: string;
  providerMessageId: string;
  status: DeliveryStatus;
  /** When the provider reported the status; stored in sent_at, delivered_at or read_at. */
  at: Date;
  errorCode?: string;
  errorMessage?: string;
}

/**
 * Conditional status updates of outbound messages and sends. The WHERE clause only matches rows in
 * an earlier status, so concurrent or out-of-order reports can never move a status backwards.
 */
@Injectable()
export class DeliveryStatusRepository {
  async advanceMessage(
    tx: TenantTransaction,
    update: DeliveryUpdate,
    allowedFrom: MessageStatus[],
  ): Promise<number> {
    const at = (status: DeliveryStatus): Date | null =>
      update.status === status ? update.at : null;

    return tx.$executeRaw`
      UPDATE messages SET
        status = ${update.status}::message_status,
        sent_at = COALESCE(sent_at, ${at('sent')}::timestamptz),
        delivered_at = COALESCE(delivered_at, ${at('delivered')}::timestamptz),
        read_at = COALESCE(read_at, ${at('read')}::timestamptz),
        error_code = COALESCE(${update.errorCode ?? null}, error_code),
        error_message = COALESCE(${update.errorMessage ?? null}, error_message),
        updated_at = now()
      WHERE tenant_id = ${update.tenantId}::uuid
        AND provider_message_id = ${update.providerMessageId}
        AND direction = 'outbound'
        AND status = ANY(${allowedFrom}::message_status[])`;
  }

  async advanceSend(
    tx: TenantTransaction,
    update: DeliveryUpdate,
    allowedFrom: SendStatus[],
  ): Promise<number> {
    return tx.$executeRaw`
      UPDATE outbound_sends SET
        status = ${update.status}::send_status,
        error_code = COALESCE(${update.errorCode ?? null}, error_code),
        error_message = COALESCE(${update.errorMessage ?? null}, error_message),
        updated_at = now()
      WHERE tenant_id = ${update.tenantId}::uuid
        AND provider_message_id = ${update.providerMessageId}
        AND status = ANY(${allowedFrom}::send_status[])`;
  }

  /** Tells whether an outbound message or send carries this provider message id. */
  async isKnownOutbound(
    tx: TenantTransaction,
    tenantId: string,
    providerMessageId: string,
  ): Promise<boolean> {
    const rows = await tx.$queryRaw<{ known: boolean }[]>`
      SELECT EXISTS (
        SELECT 1 FROM messages
        WHERE tenant_id = ${tenantId}::uuid AND provider_message_id = ${providerMessageId}
          AND direction = 'outbound'
      ) OR EXISTS (
        SELECT 1 FROM outbound_sends
        WHERE tenant_id = ${tenantId}::uuid AND provider_message_id = ${providerMessageId}
      ) AS known`;

    return rows[0]?.known === true;
  }
}
