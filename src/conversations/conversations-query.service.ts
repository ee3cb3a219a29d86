import { Injectable } from '@nestjs/common';

import { decodeCursor } from '../common/pagination/cursor';
import { toPage } from '../common/pagination/page';
import type { Page } from '../common/pagination/page';
import { toE164 } from '../common/phone/to-e164';
import { TenantDatabase } from '../database/tenant-database';
import type { TenantTransaction } from '../database/tenant-database';
import {
  ConversationNotFoundError,
  InvalidPhoneFilterError,
  InvalidTimeRangeError,
} from './conversations-query.errors';
import { ConversationsQueryRepository } from './conversations-query.repository';
import type { ConversationView, MessageView } from './conversations-query.repository';
import type { ListConversationsQuery } from './dto/list-conversations.dto';
import type { ListMessagesQuery } from './dto/list-messages.dto';

/** Reads a tenant's conversations and messages, newest first, in cursor-paginated pages. */
@Injectable()
export class ConversationsQueryService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly repository: ConversationsQueryRepository,
  ) {}

  list(tenantId: string, query: ListConversationsQuery): Promise<Page<ConversationView>> {
    if (query.createdFrom && query.createdTo && query.createdFrom >= query.createdTo) {
      throw new InvalidTimeRangeError();
    }

    const after = query.cursor ? decodeCursor(query.cursor) : undefined;

    return this.db.transaction(tenantId, async (tx) => {
      const phone = query.phone ? await this.normalisePhone(tx, tenantId, query.phone) : undefined;
      const rows = await this.repository.list(tx, {
        tenantId,
        phone,
        createdFrom: query.createdFrom,
        createdTo: query.createdTo,
        after,
        take: query.limit + 1,
      });

      return toPage(rows, query.limit);
    });
  }

  get(tenantId: string, id: string): Promise<ConversationView> {
    return this.db.transaction(tenantId, async (tx) => {
      const conversation = await this.repository.findById(tx, id);

      if (!conversation) {
        throw new ConversationNotFoundError(id);
      }

      return conversation;
    });
  }

  listMessages(
    tenantId: string,
    conversationId: string,
    query: ListMessagesQuery,
  ): Promise<Page<MessageView>> {
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;

    return this.db.transaction(tenantId, async (tx) => {
      // An unknown conversation is a 404, not an empty page, so a client can tell the two apart.
      if (!(await this.repository.findById(tx, conversationId))) {
        throw new ConversationNotFoundError(conversationId);
      }

      const rows = await this.repository.listMessages(tx, {
        tenantId,
        conversationId,
        after,
        take: query.limit + 1,
      });

      return toPage(rows, query.limit);
    });
  }

  // Stored numbers are E.164, read in the tenant's default region when they arrived without a
  // country code, so the filter is normalised the same way.
  private async normalisePhone(
    tx: TenantTransaction,
    tenantId: string,
    phone: string,
  ): Promise<string> {
    const region = (await this.repository.findDefaultRegion(tx, tenantId)) ?? 'US';
    const e164 = toE164(phone, region);

    if (!e164) {
      throw new InvalidPhoneFilterError();
    }

    return e164;
  }
}
