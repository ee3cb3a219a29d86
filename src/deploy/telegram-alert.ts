import { describeFetchError, truncate } from './coolify-client';

export interface AlertSender {
  send(text: string): Promise<void>;
}

/** Telegram's message limit is 4096 characters; longer alerts are cut to fit. */
const maxMessageLength = 4096;

/** Sends alerts with the Telegram Bot API's sendMessage method. */
export class TelegramAlert implements AlertSender {
  constructor(
    private readonly apiUrl: string,
    private readonly botToken: string,
    private readonly chatId: string,
    private readonly requestTimeoutMs: number,
  ) {}

  async send(text: string): Promise<void> {
    const url = `${this.apiUrl.replace(/\/+$/, '')}/bot${this.botToken}/sendMessage`;
    let response: Response;

    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          chat_id: this.chatId,
          text: text.slice(0, maxMessageLength),
          disable_web_page_preview: true,
        }),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      // The URL contains the bot token, so the error names only the method.
      throw new Error(
        `Telegram sendMessage failed: ${describeFetchError(error, this.requestTimeoutMs)}`,
      );
    }

    if (!response.ok) {
      throw new Error(
        `Telegram sendMessage failed with HTTP ${response.status}: ${truncate(await response.text())}`,
      );
    }
  }
}

/** Used when no Telegram bot is configured: the alert goes to the log only. */
export class NoAlert implements AlertSender {
  send(): Promise<void> {
    return Promise.resolve();
  }
}
