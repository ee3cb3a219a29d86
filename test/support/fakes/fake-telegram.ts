import { HttpFake, sendJson } from './http-fake';

export const fakeTelegramToken = '123456789:AAFakeTelegramTokenForTestsOnly0000';

/** A fake Telegram Bot API that records sendMessage calls; rateLimitNext makes the next call return 429. */
export class FakeTelegram {
  readonly messages: { chatId: unknown; text: string; at: number }[] = [];
  readonly rateLimited: number[] = [];
  private pendingRateLimits: number[] = [];
  private readonly server = new HttpFake((request, body, response) => {
    if (request.url !== `/bot${fakeTelegramToken}/sendMessage`) {
      sendJson(response, 404, { ok: false, error_code: 404, description: 'Not Found' });

      return;
    }

    const retryAfter = this.pendingRateLimits.shift();

    if (retryAfter !== undefined) {
      this.rateLimited.push(Date.now());
      sendJson(response, 429, {
        ok: false,
        error_code: 429,
        description: `Too Many Requests: retry after ${retryAfter}`,
        parameters: { retry_after: retryAfter },
      });

      return;
    }

    const parsed = JSON.parse(body) as { chat_id: unknown; text: string };

    this.messages.push({ chatId: parsed.chat_id, text: parsed.text, at: Date.now() });
    sendJson(response, 200, { ok: true, result: { message_id: this.messages.length } });
  });

  get baseUrl(): string {
    return this.server.url;
  }

  async start(): Promise<this> {
    await this.server.start();

    return this;
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  rateLimitNext(retryAfterSeconds: number): void {
    this.pendingRateLimits.push(retryAfterSeconds);
  }

  async waitForMessages(count: number, timeoutMs = 10000): Promise<void> {
    const deadline = Date.now() + timeoutMs;

    while (this.messages.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`Fake Telegram got ${this.messages.length} messages, expected ${count}`);
      }

      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}
