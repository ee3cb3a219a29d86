import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import type { InboundTurn } from './loop-detector';

/** The queries behind the spend guard. Every count runs after the row locks taken by lock(). */
@Injectable()
export class GuardRepository {
  /**
   * Locks the tenant row, then the conversation row, for the rest of the transaction. Every guard
   * decision of a tenant is thereby serialised, so two jobs cannot both take the last send of a cap.
   */
  async lock(tx: TenantTransaction, tenantId: string, conversationId: string): Promise<void> {
    await tx.$queryRaw`SELECT id FROM tenants WHERE id = ${tenantId}::uuid FOR UPDATE`;
    await tx.$queryRaw`SELECT id FROM conversations WHERE id = ${conversationId}::uuid FOR UPDATE`;
  }

  /** Counts the tenant's sends since midnight in the tenant's time zone; withheld sends do not count. */
  async countSendsToday(
    tx: TenantTransaction,
    tenantId: string,
    timezone: string,
  ): Promise<number> {
    const rows = await tx.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count
      FROM outbound_sends
      WHERE tenant_id = ${tenantId}::uuid
        AND status <> 'withheld'
        AND created_at >= (date_trunc('day', now() AT TIME ZONE ${timezone}) AT TIME ZONE ${timezone})`;

    return rows[0]?.count ?? 0;
  }

  /** Counts our replies in a conversation within the window; opt-out confirmations do not count. */
  async countRecentReplies(
    tx: TenantTransaction,
    tenantId: string,
    conversationId: string,
    windowSeconds: number,
  ): Promise<number> {
    const rows = await tx.$queryRaw<{ count: number }[]>`
      SELECT count(*)::int AS count
      FROM outbound_sends
      WHERE tenant_id = ${tenantId}::uuid
        AND conversation_id = ${conversationId}::uuid
        AND status <> 'withheld'
        AND kind <> 'opt_out'
        AND created_at > now() - make_interval(secs => ${windowSeconds})`;

    return rows[0]?.count ?? 0;
  }

  /**
   * Returns the contact's latest messages up to `until`, newest first, each with the time our last
   * reply before it was reserved. Reservation precedes the Blooio call, so the contact's message sent in reply
   * can never look older than our reply, though the measured gap includes the send's latency.
   * Messages at or before `after` (when an operator last resumed the conversation) are left out.
   */
  async loadInboundTurns(
    tx: TenantTransaction,
    tenantId: string,
    conversationId: string,
    window: { after: Date | null; until: Date },
    limit: number,
  ): Promise<InboundTurn[]> {
    const rows = await tx.$queryRaw<
      { body: string; created_at: Date; last_reply_at: Date | null }[]
    >`
      SELECT m.body, m.created_at,
        (SELECT max(s.created_at)
         FROM outbound_sends AS s
         WHERE s.tenant_id = m.tenant_id
           AND s.conversation_id = m.conversation_id
           AND s.status <> 'withheld'
           AND s.created_at <= m.created_at) AS last_reply_at
      FROM messages AS m
      WHERE m.tenant_id = ${tenantId}::uuid
        AND m.conversation_id = ${conversationId}::uuid
        AND m.direction = 'inbound'
        AND m.created_at <= ${window.until}
        AND (${window.after}::timestamptz IS NULL OR m.created_at > ${window.after}::timestamptz)
      ORDER BY m.created_at DESC, m.id DESC
      LIMIT ${limit}`;

    return rows.map((row) => ({
      body: row.body,
      receivedAt: row.created_at,
      lastReplyAt: row.last_reply_at,
    }));
  }

  async pauseConversation(
    tx: TenantTransaction,
    conversationId: string,
    reason: string,
  ): Promise<void> {
    await tx.conversation.update({
      where: { id: conversationId },
      data: { repliesPausedAt: new Date(), pausedReason: reason },
    });
  }
}
