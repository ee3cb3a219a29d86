import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { AlertService } from '../alerts/alert.service';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import type { Tenant } from '../generated/prisma/client';
import type { InboundContext } from './reply.repository';
import { validateReply } from './reply-validator';
import { RESPONDER } from './responders/responder';
import type { ConversationTurn, Responder } from './responders/responder';
import type { SendKind } from './send.repository';

export interface ComposedReply {
  kind: SendKind;
  text: string;
  /** Set when the fallback replaced the candidate, e.g. fallback:link. */
  reason: string | null;
}

const maxNameLength = 60;

function shortName(tenant: Tenant): string {
  return tenant.name.length > maxNameLength
    ? `${tenant.name.slice(0, maxNameLength - 1)}…`
    : tenant.name;
}

/**
 * Produces the text of each reply and guarantees it is valid: a responder's reply or the tenant's
 * help text that fails validation, and a responder that fails, are replaced by REPLY_FALLBACK_TEXT
 * with an alert. The fallback is itself validated when the service starts.
 */
@Injectable()
export class ReplyComposer {
  constructor(
    @Inject(RESPONDER) private readonly responder: Responder,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly alerts: AlertService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReplyComposer.name);

    const fallback = validateReply(config.replies.fallbackText, {
      maxLength: config.replies.maxLength,
      allowLinks: false,
    });

    if (!fallback.isValid) {
      throw new Error(`REPLY_FALLBACK_TEXT is not a valid reply (${fallback.reason}); change it`);
    }
  }

  optOutConfirmation(tenant: Tenant): ComposedReply {
    return {
      kind: 'opt_out',
      text: `You have been unsubscribed from ${shortName(tenant)} and will get no more messages. Reply START to resubscribe.`,
      reason: null,
    };
  }

  optInConfirmation(tenant: Tenant): ComposedReply {
    return {
      kind: 'opt_in',
      text: `You are resubscribed to messages from ${shortName(tenant)}. Reply HELP for help or STOP to unsubscribe.`,
      reason: null,
    };
  }

  help(context: InboundContext): ComposedReply {
    // The help text is written by the tenant, so its links are allowed.
    return this.checked(context, 'help', context.tenant.helpText, true);
  }

  async reply(
    context: InboundContext,
    history: ConversationTurn[],
    signal?: AbortSignal,
  ): Promise<ComposedReply> {
    let candidate: string;

    try {
      candidate = await this.responder.generate(
        {
          tenantName: context.tenant.name,
          businessDetails: context.tenant.businessDetails,
          contactName: context.contact.name,
          history,
          maxLength: this.config.replies.maxLength,
        },
        signal,
      );
    } catch (error) {
      signal?.throwIfAborted();
      this.logger.error(
        {
          err: error,
          tenantId: context.tenant.id,
          messageId: context.message.id,
          responder: this.responder.name,
        },
        'Responder failed; sending the fallback reply',
      );

      return this.fallback(
        context,
        'responder_failed',
        error instanceof Error ? error.message : String(error),
      );
    }

    return this.checked(context, 'reply', candidate, context.tenant.allowLinks);
  }

  private checked(
    context: InboundContext,
    kind: SendKind,
    candidate: string,
    allowLinks: boolean,
  ): ComposedReply {
    const validation = validateReply(candidate, {
      maxLength: this.config.replies.maxLength,
      allowLinks,
    });

    if (validation.isValid) {
      return { kind, text: validation.text, reason: null };
    }

    return this.fallback(context, validation.reason, `the ${kind} text failed validation`);
  }

  private fallback(context: InboundContext, reason: string, detail: string): ComposedReply {
    this.alerts.raise({
      kind: 'reply_invalid',
      message: `Reply replaced by the fallback message: ${reason}`,
      fingerprint: `reply_invalid:${context.tenant.id}:${reason}`,
      tenantId: context.tenant.id,
      details: { messageId: context.message.id, responder: this.responder.name, detail },
    });

    return {
      kind: 'fallback',
      text: this.config.replies.fallbackText,
      reason: `fallback:${reason}`,
    };
  }
}
