import { Injectable } from '@nestjs/common';

import type { CursorPosition } from '../common/pagination/cursor';
import { afterPosition } from '../common/pagination/keyset-sql';
import type { TenantTransaction } from '../database/tenant-database';
import { Prisma } from '../generated/prisma/client';
import type { MessageDirection, MessageStatus, ReplyState } from '../generated/prisma/enums';

export interface ConversationView {
  id: string;
  contactId: string;
  phone: string;
  ourNumber: string;
  protocol: string | null;
  lastMessageAt: Date | null;
  repliesPausedAt: Date | null;
  pausedReason: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface MessageView {
  id: string;
  conversationId: string;
  direction: MessageDirection;
  body: string;
  attachments: Prisma.JsonValue;
  protocol: string | null;
  status: MessageStatus;
  replyState: ReplyState;
  providerMessageId: string | null;
  errorCode: string | null;
  errorMessage: string | null;
  receivedAt: Date | null;
  sentAt: Date | null;
  deliveredAt: Date | null;
  readAt: Date | null;
  createdAt: Date;
}

export interface ConversationListFilter {
  tenantId: string;
  /** E.164, already normalised. */
  phone?: string;
  /** Inclusive lower bound on created_at. */
  createdFrom?: Date;
  /** Exclusive upper bound on created_at. */
  createdTo?: Date;
  after?: CursorPosition;
  /** Rows to fetch: the page size plus one. */
  take: number;
}

export interface MessageListFilter {
  tenantId: string;
  conversationId: string;
  after?: CursorPosition;
  take: number;
}

const conversationColumns = Prisma.sql`
  id, contact_id AS "contactId", phone, our_number AS "ourNumber", protocol,
  last_message_at AS "lastMessageAt", replies_paused_at AS "repliesPausedAt",
  paused_reason AS "pausedReason", created_at AS "createdAt", updated_at AS "updatedAt"`;

const messageColumns = Prisma.sql`
  id, conversation_id AS "conversationId", direction, body, attachments, protocol, status,
  reply_state AS "replyState", provider_message_id AS "providerMessageId",
  error_code AS "errorCode", error_message AS "errorMessage", received_at AS "receivedAt",
  sent_at AS "sentAt", delivered_at AS "deliveredAt", read_at AS "readAt",
  created_at AS "createdAt"`;

/**
 * Builds the conversation list query, newest first, for the indexes (tenant_id, created_at DESC,
 * id DESC) and (tenant_id, phone, created_at DESC). The explicit tenant_id condition repeats what
 * row-level security enforces, so the planner estimates rows from the tenant's own statistics.
 */
export function conversationListSql(filter: ConversationListFilter): Prisma.Sql {
  const phone = filter.phone ? Prisma.sql`AND phone = ${filter.phone}` : Prisma.empty;
  const from = filter.createdFrom
    ? Prisma.sql`AND created_at >= ${filter.createdFrom}::timestamptz`
    : Prisma.empty;
  const to = filter.createdTo
    ? Prisma.sql`AND created_at < ${filter.createdTo}::timestamptz`
    : Prisma.empty;

  return Prisma.sql`
    SELECT ${conversationColumns}
    FROM conversations
    WHERE tenant_id = ${filter.tenantId}::uuid ${phone} ${from} ${to} ${afterPosition(filter.after)}
    ORDER BY created_at DESC, id DESC
    LIMIT ${filter.take}::int`;
}

/** Builds the message list query of one conversation, for (tenant_id, conversation_id, created_at DESC, id DESC). */
export function messageListSql(filter: MessageListFilter): Prisma.Sql {
  return Prisma.sql`
    SELECT ${messageColumns}
    FROM messages
    WHERE tenant_id = ${filter.tenantId}::uuid AND conversation_id = ${filter.conversationId}::uuid
      ${afterPosition(filter.after)}
    ORDER BY created_at DESC, id DESC
    LIMIT ${filter.take}::int`;
}

/** Read-only queries behind the conversation endpoints of the tenant API. */
@Injectable()
export class ConversationsQueryRepository {
  list(tx: TenantTransaction, filter: ConversationListFilter): Promise<ConversationView[]> {
    return tx.$queryRaw<ConversationView[]>(conversationListSql(filter));
  }

  async findById(tx: TenantTransaction, id: string): Promise<ConversationView | null> {
    const rows = await tx.$queryRaw<ConversationView[]>`
      SELECT ${conversationColumns} FROM conversations WHERE id = ${id}::uuid`;

    return rows[0] ?? null;
  }

  listMessages(tx: TenantTransaction, filter: MessageListFilter): Promise<MessageView[]> {
    return tx.$queryRaw<MessageView[]>(messageListSql(filter));
  }

  async findDefaultRegion(tx: TenantTransaction, tenantId: string): Promise<string | null> {
    const tenant = await tx.tenant.findUnique({
      where: { id: tenantId },
      select: { defaultRegion: true },
    });

    return tenant?.defaultRegion ?? null;
  }
}
