import { Injectable } from '@nestjs/common';
import { isUUID } from 'class-validator';

import { AuditLogRepository } from '../audit-log/audit-log.repository';
import { TenantDatabase } from '../database/tenant-database';
import { validateCount } from './admin-input';
import { InvalidAdminInputError, TenantConversationNotFoundError } from './admin.errors';
import { ConversationAdminRepository } from './conversation-admin.repository';
import type { PausedConversation } from './conversation-admin.repository';
import { TenantLookup } from './tenant-lookup';

export const MAX_PAUSED_LISTED = 1000;

export interface PausedConversationPage {
  slug: string;
  conversations: PausedConversation[];
  /** True when more paused conversations exist than the limit let through. */
  hasMore: boolean;
}

export interface ResumedConversation {
  slug: string;
  conversationId: string;
  /** False when the conversation was not paused, so nothing changed. */
  isChanged: boolean;
}

/**
 * Lists the conversations whose replies are paused and resumes them. The loop breaker pauses a
 * conversation that looks like two bots replying to each other, and only an operator resumes it.
 */
@Injectable()
export class ConversationAdminService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly conversations: ConversationAdminRepository,
    private readonly lookup: TenantLookup,
    private readonly audit: AuditLogRepository,
  ) {}

  async listPaused(reference: string, limit: string): Promise<PausedConversationPage> {
    const maxRows = validateCount('--limit', limit, MAX_PAUSED_LISTED, 1);
    const tenant = await this.lookup.resolve(reference);
    const rows = await this.db.transaction(tenant.id, (tx) =>
      this.conversations.listPaused(tx, maxRows + 1),
    );

    return {
      slug: tenant.slug,
      conversations: rows.slice(0, maxRows),
      hasMore: rows.length > maxRows,
    };
  }

  /**
   * Clears a conversation's pause, so the next message from the contact gets a reply again, and
   * writes conversation.replies_resumed. Messages withheld while it was paused stay unanswered.
   */
  async resume(
    reference: string,
    conversationId: string,
    actor: string,
  ): Promise<ResumedConversation> {
    if (!isUUID(conversationId)) {
      throw new InvalidAdminInputError(
        `The conversation id "${conversationId}" is not a UUID: copy it from "conversation paused <tenant>"`,
      );
    }

    const tenant = await this.lookup.resolve(reference);

    return this.db.transaction(tenant.id, async (tx) => {
      const pause = await this.conversations.lockPause(tx, conversationId);

      if (!pause) {
        throw new TenantConversationNotFoundError(conversationId, tenant.slug);
      }

      if (!pause.pausedAt) {
        return { slug: tenant.slug, conversationId, isChanged: false };
      }

      const resumedAt = await this.conversations.resume(tx, conversationId);

      await this.audit.append(tx, tenant.id, {
        actor,
        action: 'conversation.replies_resumed',
        details: {
          slug: tenant.slug,
          conversationId,
          pausedAt: pause.pausedAt.toISOString(),
          pausedReason: pause.pausedReason,
          resumedAt: resumedAt.toISOString(),
        },
      });

      return { slug: tenant.slug, conversationId, isChanged: true };
    });
  }
}
