import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { AlertService } from '../alerts/alert.service';
import { TenantDatabase } from '../database/tenant-database';
import type { TenantTransaction } from '../database/tenant-database';
import type { OutboundSend } from '../generated/prisma/client';
import { isUniqueViolation } from '../database/database-errors';
import { keywordOf } from './keywords';
import type { InboundContext } from './reply.repository';
import { ReplyRepository } from './reply.repository';
import type { ComposedReply } from './reply-composer';
import { ReplyComposer } from './reply-composer';
import { ReplyDelivery } from './reply-delivery';
import type { ConversationTurn } from './responders/responder';
import { SendRepository } from './send.repository';
import type { SendKind } from './send.repository';
import type { GuardTrip } from './spend-guard';
import { SpendGuard } from './spend-guard';

export interface ReplyJobPayload {
  tenantId: string;
  messageId: string;
}

const historyLimit = 20;

/** Returns the idempotency key of the one reply to an inbound message, the same on every retry. */
export function replyIdempotencyKey(messageId: string): string {
  return `reply-${messageId}`;
}

type Step =
  | { kind: 'done' }
  | { kind: 'send'; send: OutboundSend; context: InboundContext }
  | { kind: 'compose'; context: InboundContext; history: ConversationTurn[] }
  | { kind: 'withheld'; context: InboundContext; trip: GuardTrip };

/**
 * Runs the reply job for one inbound message. Every step is idempotent, because a job may run
 * again after a crash or a retry. A handled message is skipped, and a reserved send is resumed with
 * its key. Nothing is sent before the spend guard approves it in the transaction that reserves it.
 */
@Injectable()
export class ReplyProcessor {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly replyRepository: ReplyRepository,
    private readonly sendRepository: SendRepository,
    private readonly spendGuard: SpendGuard,
    private readonly composer: ReplyComposer,
    private readonly delivery: ReplyDelivery,
    private readonly alerts: AlertService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReplyProcessor.name);
  }

  async process(job: ReplyJobPayload, signal?: AbortSignal): Promise<void> {
    const key = replyIdempotencyKey(job.messageId);
    let step = await this.inTransaction(job.tenantId, (tx) => this.start(tx, job, key));

    if (step.kind === 'compose') {
      const reply = await this.composer.reply(step.context, step.history, signal);
      const context = step.context;

      step = await this.inTransaction(job.tenantId, (tx) => this.reserve(tx, context, reply, key));
    }

    if (step.kind === 'withheld') {
      this.reportTrip(step.context, step.trip);
    }

    if (step.kind === 'send') {
      await this.delivery.deliver(step.send, step.context.conversation, signal);
    }
  }

  /** Marks the inbound message failed after the job's last attempt, so it does not wait forever. */
  async giveUp(job: ReplyJobPayload, error: unknown): Promise<void> {
    await this.tenantDatabase.transaction(job.tenantId, (tx) =>
      tx.message.updateMany({
        where: { id: job.messageId, replyState: 'awaiting_reply' },
        data: { replyState: 'failed', replyReason: 'job_attempts_exhausted' },
      }),
    );
    this.alerts.raise({
      kind: 'job_failed',
      message: `Reply job gave up after its last attempt: ${error instanceof Error ? error.message : String(error)}`,
      fingerprint: 'job_failed:reply',
      tenantId: job.tenantId,
      details: { messageId: job.messageId },
    });
  }

  private async start(tx: TenantTransaction, job: ReplyJobPayload, key: string): Promise<Step> {
    const context = await this.replyRepository.loadInbound(tx, job.messageId);

    if (!context) {
      this.logger.warn(job, 'Reply job skipped: the inbound message does not exist');

      return { kind: 'done' };
    }

    const existing = await this.replyRepository.findSendByKey(tx, key);

    if (existing) {
      return existing.status === 'pending'
        ? { kind: 'send', send: existing, context }
        : { kind: 'done' };
    }

    if (context.message.replyState !== 'awaiting_reply') {
      return { kind: 'done' };
    }

    return this.plan(tx, context, key);
  }

  private async plan(tx: TenantTransaction, context: InboundContext, key: string): Promise<Step> {
    const { contact, message, tenant } = context;
    const keyword = keywordOf(message.body);

    if (keyword === 'stop' && !contact.optedOutAt) {
      await this.replyRepository.setOptedOut(tx, contact.id, new Date());

      return this.reserve(tx, context, this.composer.optOutConfirmation(tenant), key);
    }

    if (keyword === 'start' && contact.optedOutAt) {
      await this.replyRepository.setOptedOut(tx, contact.id, null);

      return this.reserve(tx, context, this.composer.optInConfirmation(tenant), key);
    }

    if (contact.optedOutAt) {
      await this.replyRepository.setReplyState(tx, message.id, 'withheld', 'opted_out');

      return { kind: 'done' };
    }

    if (keyword === 'help') {
      return this.reserve(tx, context, this.composer.help(context), key);
    }

    // Check before the responder runs, so a tripped guard costs no LLM call.
    const trip = await this.withholdIfTripped(tx, context, 'reply');

    if (trip) {
      return trip;
    }

    const history = await this.replyRepository.loadHistory(
      tx,
      message.conversationId,
      message.createdAt,
      historyLimit,
    );

    return { kind: 'compose', context, history };
  }

  private async reserve(
    tx: TenantTransaction,
    context: InboundContext,
    reply: ComposedReply,
    key: string,
  ): Promise<Step> {
    const trip = await this.withholdIfTripped(tx, context, reply.kind);

    if (trip) {
      return trip;
    }

    const send = await this.sendRepository.reserve(tx, {
      tenantId: context.tenant.id,
      conversationId: context.conversation.id,
      inboundMessageId: context.message.id,
      idempotencyKey: key,
      kind: reply.kind,
      body: reply.text,
    });

    if (reply.reason) {
      await this.replyRepository.setReplyState(
        tx,
        context.message.id,
        'awaiting_reply',
        reply.reason,
      );
    }

    return { kind: 'send', send, context };
  }

  private async inTransaction(
    tenantId: string,
    work: (tx: TenantTransaction) => Promise<Step>,
  ): Promise<Step> {
    try {
      return await this.tenantDatabase.transaction(tenantId, work);
    } catch (error) {
      // Another run reserved this reply first; it owns the send, so this run stops here.
      if (isUniqueViolation(error)) {
        this.logger.warn({ tenantId }, 'Reply already reserved by another run; skipping');

        return { kind: 'done' };
      }

      throw error;
    }
  }

  private async withholdIfTripped(
    tx: TenantTransaction,
    context: InboundContext,
    kind: SendKind,
  ): Promise<Step | null> {
    const trip = await this.spendGuard.check(tx, context, kind);

    if (!trip) {
      return null;
    }

    await this.replyRepository.setReplyState(tx, context.message.id, 'withheld', trip.reason);

    return { kind: 'withheld', context, trip };
  }

  private reportTrip(context: InboundContext, trip: GuardTrip): void {
    const ids = { tenantId: context.tenant.id, messageId: context.message.id, reason: trip.reason };

    this.logger.warn(ids, 'Reply withheld by the spend guard');

    if (trip.shouldAlert) {
      this.alerts.raise({
        kind: 'guard_tripped',
        message: `Reply withheld (${trip.reason}): ${trip.detail}`,
        fingerprint: `guard:${context.tenant.id}:${trip.reason}`,
        tenantId: context.tenant.id,
        details: { conversationId: context.conversation.id, messageId: context.message.id },
      });
    }
  }
}
