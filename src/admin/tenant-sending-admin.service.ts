import { Injectable } from '@nestjs/common';

import { AuditLogRepository } from '../audit-log/audit-log.repository';
import { toE164 } from '../common/phone/to-e164';
import { TenantDatabase } from '../database/tenant-database';
import { MAX_REPLY_CAP, MAX_SEND_CAP, validateCount } from './admin-input';
import {
  InvalidAdminInputError,
  SendingNumberTakenError,
  TenantNotFoundError,
} from './admin.errors';
import { isUniqueViolation } from '../database/database-errors';
import { TenantAdminRepository } from './tenant-admin.repository';
import type { SpendCaps } from './tenant-admin.repository';
import { TenantLookup } from './tenant-lookup';

/** Changes to spend caps as typed by the operator; omitted fields stay as they are. */
export interface SpendCapsInput {
  dailySendCap?: string;
  conversationReplyCap?: string;
  repliesPaused?: boolean;
}

/** Operator actions on a tenant's sending: spend caps, the replies kill switch, sending numbers. */
@Injectable()
export class TenantSendingAdminService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly tenants: TenantAdminRepository,
    private readonly lookup: TenantLookup,
    private readonly audit: AuditLogRepository,
  ) {}

  /** Sets the daily send cap, the per-conversation reply cap and the replies kill switch. */
  async setSpendCaps(
    reference: string,
    input: SpendCapsInput,
    actor: string,
  ): Promise<{ slug: string; caps: SpendCaps }> {
    const changes = this.parseSpendCaps(input);
    const tenant = await this.lookup.resolve(reference);

    return this.db.transaction(tenant.id, async (tx) => {
      const current = await this.tenants.findSettings(tx, tenant.id);

      if (!current) {
        throw new TenantNotFoundError(reference);
      }

      const before: SpendCaps = {
        dailySendCap: current.dailySendCap,
        conversationReplyCap: current.conversationReplyCap,
        repliesPaused: current.repliesPaused,
      };
      const after: SpendCaps = { ...before, ...changes };

      await this.tenants.updateSpendCaps(tx, tenant.id, after);
      await this.audit.append(tx, tenant.id, {
        actor,
        action: 'tenant.spend_caps_changed',
        details: { slug: tenant.slug, before: { ...before }, after: { ...after } },
      });

      return { slug: tenant.slug, caps: after };
    });
  }

  /** Adds a Blooio sending number, normalised to E.164 in the tenant's default region. */
  async addSendingNumber(reference: string, phone: string, actor: string): Promise<string> {
    const tenant = await this.lookup.resolve(reference);

    try {
      return await this.db.transaction(tenant.id, async (tx) => {
        const settings = await this.tenants.findSettings(tx, tenant.id);
        const e164 = toE164(phone, settings?.defaultRegion ?? 'US');

        if (!e164) {
          throw new InvalidAdminInputError(
            `"${phone}" is not a possible phone number: use E.164, e.g. +14155550100`,
          );
        }

        await this.tenants.insertSendingNumber(tx, tenant.id, e164);
        await this.audit.append(tx, tenant.id, {
          actor,
          action: 'sending_number.added',
          details: { slug: tenant.slug, phone: e164 },
        });

        return e164;
      });
    } catch (error) {
      throw isUniqueViolation(error) ? new SendingNumberTakenError(phone) : error;
    }
  }

  private parseSpendCaps(input: SpendCapsInput): Partial<SpendCaps> {
    const changes: Partial<SpendCaps> = {};

    if (input.dailySendCap !== undefined) {
      changes.dailySendCap = validateCount('--daily-send-cap', input.dailySendCap, MAX_SEND_CAP);
    }

    if (input.conversationReplyCap !== undefined) {
      changes.conversationReplyCap = validateCount(
        '--conversation-reply-cap',
        input.conversationReplyCap,
        MAX_REPLY_CAP,
      );
    }

    if (input.repliesPaused !== undefined) {
      changes.repliesPaused = input.repliesPaused;
    }

    if (Object.keys(changes).length === 0) {
      throw new InvalidAdminInputError(
        'Nothing to change: pass --daily-send-cap, --conversation-reply-cap, --pause-replies or --resume-replies',
      );
    }

    return changes;
  }
}
