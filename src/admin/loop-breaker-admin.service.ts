import { Injectable } from '@nestjs/common';

import { AuditLogRepository } from '../audit-log/audit-log.repository';
import { TenantDatabase } from '../database/tenant-database';
import {
  LOOP_FAST_TURNS,
  LOOP_MIN_REPLY_SECONDS,
  LOOP_REPEAT_COUNT,
  validateCount,
} from './admin-input';
import { InvalidAdminInputError, TenantNotFoundError } from './admin.errors';
import { LoopBreakerRepository } from './loop-breaker.repository';
import type { LoopBreakerSettings } from './loop-breaker.repository';
import { TenantLookup } from './tenant-lookup';

/** Changes to the loop breaker as the operator typed them. Omitted fields keep their value. */
export interface LoopBreakerInput {
  minReplySeconds?: string;
  fastTurns?: string;
  repeatCount?: string;
}

export interface TenantLoopBreaker {
  slug: string;
  settings: LoopBreakerSettings;
}

/**
 * Shows and sets a tenant's loop-breaker thresholds. The spend guard reads them before every reply
 * and pauses a conversation whose contact replies too fast too often or repeats one text.
 */
@Injectable()
export class LoopBreakerAdminService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly loopBreaker: LoopBreakerRepository,
    private readonly lookup: TenantLookup,
    private readonly audit: AuditLogRepository,
  ) {}

  async show(reference: string): Promise<TenantLoopBreaker> {
    const tenant = await this.lookup.resolve(reference);
    const settings = await this.db.transaction(tenant.id, (tx) =>
      this.loopBreaker.find(tx, tenant.id, { forUpdate: false }),
    );

    if (!settings) {
      throw new TenantNotFoundError(reference);
    }

    return { slug: tenant.slug, settings };
  }

  /** Validates the given thresholds, stores them and writes tenant.loop_breaker_changed. */
  async set(reference: string, input: LoopBreakerInput, actor: string): Promise<TenantLoopBreaker> {
    const changes = this.parse(input);
    const tenant = await this.lookup.resolve(reference);

    return this.db.transaction(tenant.id, async (tx) => {
      const before = await this.loopBreaker.find(tx, tenant.id, { forUpdate: true });

      if (!before) {
        throw new TenantNotFoundError(reference);
      }

      const after: LoopBreakerSettings = { ...before, ...changes };

      await this.loopBreaker.update(tx, tenant.id, after);
      await this.audit.append(tx, tenant.id, {
        actor,
        action: 'tenant.loop_breaker_changed',
        details: { slug: tenant.slug, before: { ...before }, after: { ...after } },
      });

      return { slug: tenant.slug, settings: after };
    });
  }

  private parse(input: LoopBreakerInput): Partial<LoopBreakerSettings> {
    const changes: Partial<LoopBreakerSettings> = {};

    if (input.minReplySeconds !== undefined) {
      changes.minReplySeconds = validateCount(
        '--min-reply-seconds',
        input.minReplySeconds,
        LOOP_MIN_REPLY_SECONDS.max,
        LOOP_MIN_REPLY_SECONDS.min,
      );
    }

    if (input.fastTurns !== undefined) {
      changes.fastTurns = validateCount(
        '--fast-turns',
        input.fastTurns,
        LOOP_FAST_TURNS.max,
        LOOP_FAST_TURNS.min,
      );
    }

    if (input.repeatCount !== undefined) {
      changes.repeatCount = validateCount(
        '--repeat-count',
        input.repeatCount,
        LOOP_REPEAT_COUNT.max,
        LOOP_REPEAT_COUNT.min,
      );
    }

    if (Object.keys(changes).length === 0) {
      throw new InvalidAdminInputError(
        'Nothing to change: pass --min-reply-seconds, --fast-turns or --repeat-count',
      );
    }

    return changes;
  }
}
