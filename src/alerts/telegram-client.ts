import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';

/** Telegram's maximum message length, in characters after entity parsing. */
export const TELEGRAM_MAX_TEXT_LENGTH = 4096;

const requestTimeoutMs = 5000;

export type TelegramSendResult =
  | { outcome: 'sent' }
  | { outcome: 'rate_limited'; retryAfterMs: number }
  | { outcome: 'failed'; reason: string };

interface TelegramResponseBody {
  ok?: boolean;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

/**
 * Sends plain-text messages through the Telegram Bot API (sendMessage). The request URL contains
 * the bot token, so neither the URL nor a fetch error's text is ever returned or logged from here.
 */
@Injectable()
export class TelegramClient {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  isEnabled(): boolean {
    return this.config.alerts.telegram !== undefined;
  }

  async sendMessage(text: string): Promise<TelegramSendResult> {
    const telegram = this.config.alerts.telegram;

    if (!telegram) {
      return { outcome: 'failed', reason: 'Telegram is not configured' };
    }

    let response: Response;

    try {
      response = await fetch(`${telegram.baseUrl}/bot${telegram.token}/sendMessage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          chat_id: telegram.chatId,
          text: text.slice(0, TELEGRAM_MAX_TEXT_LENGTH),
          disable_web_page_preview: true,
        }),
        signal: AbortSignal.timeout(requestTimeoutMs),
      });
    } catch (error) {
      const isTimeout = error instanceof Error && error.name === 'TimeoutError';

      return { outcome: 'failed', reason: isTimeout ? 'request timed out' : 'network error' };
    }

    const body = (await response.json().catch(() => ({}))) as TelegramResponseBody;

    if (response.ok && body.ok !== false) {
      return { outcome: 'sent' };
    }

    const retryAfter = body.parameters?.retry_after;

    if (response.status === 429 && typeof retryAfter === 'number' && retryAfter >= 0) {
      return { outcome: 'rate_limited', retryAfterMs: retryAfter * 1000 };
    }

    return {
      outcome: 'failed',
      reason: `HTTP ${response.status}${body.description ? `: ${body.description}` : ''}`,
    };
  }
}
