import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';

/** A conversation whose replies are paused, as the CLI lists it. */
export interface PausedConversation {
  id: string;
  /** The contact's address: an E.164 number, or an email for iMessage. */
  phone: string;
  ourNumber: string;
  pausedAt: Date;
  pausedReason: string | null;
  lastMessageAt: Date | null;
}

/** The pause state of one conversation, read under a row lock. */
export interface ConversationPause {
  id: string;
  pausedAt: Date | null;
  pausedReason: string | null;
}

/** Reads and clears conversation pauses in the tenant of the transaction. */
@Injectable()
export class ConversationAdminRepository {
  /** Returns up to `limit` paused conversations, the latest pause first. */
  listPaused(tx: TenantTransaction, limit: number): Promise<PausedConversation[]> {
    return tx.$queryRaw<PausedConversation[]>`
      SELECT id, phone, our_number AS "ourNumber", replies_paused_at AS "pausedAt",
        paused_reason AS "pausedReason", last_message_at AS "lastMessageAt"
      FROM conversations
      WHERE replies_paused_at IS NOT NULL
      ORDER BY replies_paused_at DESC, id DESC
      LIMIT ${limit}`;
  }

  /**
   * Reads a conversation's pause and locks its row until the transaction ends. The reply worker's
   * spend guard locks the same row, so a resume never interleaves with a guard decision.
   */
  async lockPause(
    tx: TenantTransaction,
    conversationId: string,
  ): Promise<ConversationPause | null> {
    const rows = await tx.$queryRaw<ConversationPause[]>`
      SELECT id, replies_paused_at AS "pausedAt", paused_reason AS "pausedReason"
      FROM conversations
      WHERE id = ${conversationId}::uuid
      FOR UPDATE`;

    return rows[0] ?? null;
  }

  /**
   * Clears the pause and records the resume, from which the loop breaker counts anew. The time is
   * the database's, like the messages' created_at it is compared with.
   */
  async resume(tx: TenantTransaction, conversationId: string): Promise<Date> {
    const rows = await tx.$queryRaw<{ resumedAt: Date }[]>`
      UPDATE conversations
      SET replies_paused_at = NULL, paused_reason = NULL, replies_resumed_at = now(),
        updated_at = now()
      WHERE id = ${conversationId}::uuid
      RETURNING replies_resumed_at AS "resumedAt"`;

    return rows[0].resumedAt;
  }
}
