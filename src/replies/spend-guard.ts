import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import type { TenantTransaction } from '../database/tenant-database';
import { GuardRepository } from './guard.repository';
import { detectLoop } from './loop-detector';
import type { InboundContext } from './reply.repository';
import type { SendKind } from './send.repository';

export type GuardReason =
  | 'global_kill_switch'
  | 'tenant_suspended'
  | 'tenant_paused'
  | 'conversation_paused'
  | 'loop_fast_replies'
  | 'loop_repeated_text'
  | 'conversation_cap'
  | 'daily_cap';

export interface GuardTrip {
  reason: GuardReason;
  detail: string;
  /** Kill switches and suspensions are an operator's choice, so they are logged, not alerted. */
  shouldAlert: boolean;
}

/**
 * Decides whether one more message may be sent for an inbound message. Call check() inside the
 * transaction that reserves the send: it locks the tenant and conversation rows first, so the
 * counts it reads cannot change before the reservation commits.
 */
@Injectable()
export class SpendGuard {
  constructor(
    private readonly guardRepository: GuardRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async check(
    tx: TenantTransaction,
    context: InboundContext,
    kind: SendKind,
  ): Promise<GuardTrip | null> {
    const { tenant, conversation } = context;

    await this.guardRepository.lock(tx, tenant.id, conversation.id);

    const switchTrip = this.checkSwitches(context, kind);

    if (switchTrip) {
      return switchTrip;
    }

    // An opt-out confirmation is sent once per opt-out; neither the loop breaker nor the
    // conversation cap may keep the contact from learning that it worked.
    if (kind !== 'opt_out') {
      const conversationTrip = await this.checkConversation(tx, context);

      if (conversationTrip) {
        return conversationTrip;
      }
    }

    const sentToday = await this.guardRepository.countSendsToday(tx, tenant.id, tenant.timezone);

    if (sentToday >= tenant.dailySendCap) {
      return {
        reason: 'daily_cap',
        detail: `the tenant sent ${sentToday} of its daily cap of ${tenant.dailySendCap} messages today`,
        shouldAlert: true,
      };
    }

    return null;
  }

  private checkSwitches(context: InboundContext, kind: SendKind): GuardTrip | null {
    const { tenant, conversation } = context;

    if (this.config.replies.paused) {
      return { reason: 'global_kill_switch', detail: 'REPLIES_PAUSED is set', shouldAlert: false };
    }

    if (tenant.status !== 'active') {
      return { reason: 'tenant_suspended', detail: 'the tenant is suspended', shouldAlert: false };
    }

    if (tenant.repliesPaused) {
      return {
        reason: 'tenant_paused',
        detail: 'replies are paused for the tenant',
        shouldAlert: false,
      };
    }

    if (conversation.repliesPausedAt && kind !== 'opt_out') {
      return {
        reason: 'conversation_paused',
        detail: `replies are paused for the conversation (${conversation.pausedReason ?? 'no reason'})`,
        shouldAlert: false,
      };
    }

    return null;
  }

  private async checkConversation(
    tx: TenantTransaction,
    context: InboundContext,
  ): Promise<GuardTrip | null> {
    const { tenant, conversation, message } = context;
    const turns = await this.guardRepository.loadInboundTurns(
      tx,
      tenant.id,
      conversation.id,
      { after: conversation.repliesResumedAt, until: message.createdAt },
      Math.max(tenant.loopFastTurns, tenant.loopRepeatCount) + 1,
    );
    const loop = detectLoop(turns, {
      minReplySeconds: tenant.loopMinReplySeconds,
      fastTurns: tenant.loopFastTurns,
      repeatCount: tenant.loopRepeatCount,
    });

    if (loop) {
      await this.guardRepository.pauseConversation(tx, conversation.id, loop);

      return {
        reason: loop,
        detail:
          loop === 'loop_fast_replies'
            ? `the contact answered ${tenant.loopFastTurns} replies in a row within ${tenant.loopMinReplySeconds} s; replies to this conversation are paused`
            : `the contact sent the same text ${tenant.loopRepeatCount} times; replies to this conversation are paused`,
        shouldAlert: true,
      };
    }

    const recentReplies = await this.guardRepository.countRecentReplies(
      tx,
      tenant.id,
      conversation.id,
      tenant.conversationReplyWindowSeconds,
    );

    if (recentReplies >= tenant.conversationReplyCap) {
      return {
        reason: 'conversation_cap',
        detail: `${recentReplies} replies in the last ${tenant.conversationReplyWindowSeconds} s reached the cap of ${tenant.conversationReplyCap}`,
        shouldAlert: true,
      };
    }

    return null;
  }
}
