import type { PinoLogger } from 'nestjs-pino';

import { FakeTelegram, fakeTelegramToken } from '../../test/support/fakes/fake-telegram';
import { loadConfig } from '../config/load-config';
import { AlertService } from './alert.service';
import { TelegramClient } from './telegram-client';

const logger = {
  setContext: jest.fn(),
  info: jest.fn(),
  warn: jest.fn(),
  error: jest.fn(),
} as unknown as PinoLogger;

describe(TelegramClient.name, () => {
  let telegram: FakeTelegram;
  let client: TelegramClient;

  beforeEach(async () => {
    telegram = await new FakeTelegram().start();
    client = new TelegramClient(
      loadConfig({
        TELEGRAM_API_BASE_URL: telegram.baseUrl,
        TELEGRAM_BOT_TOKEN: fakeTelegramToken,
        TELEGRAM_CHAT_ID: '-100123',
      }),
    );
  });

  afterEach(async () => {
    await telegram.stop();
  });

  it('posts sendMessage to the chat', async () => {
    await expect(client.sendMessage('hello')).resolves.toEqual({ outcome: 'sent' });
    expect(telegram.messages).toEqual([
      expect.objectContaining({ chatId: '-100123', text: 'hello' }),
    ]);
  });

  it('reports retry_after of a 429', async () => {
    telegram.rateLimitNext(3);

    await expect(client.sendMessage('hello')).resolves.toEqual({
      outcome: 'rate_limited',
      retryAfterMs: 3000,
    });
  });

  it('lets AlertService wait out retry_after', async () => {
    const config = loadConfig({
      TELEGRAM_API_BASE_URL: telegram.baseUrl,
      TELEGRAM_BOT_TOKEN: fakeTelegramToken,
      TELEGRAM_CHAT_ID: '-100123',
    });
    const alerts = new AlertService(config, client, logger);

    telegram.rateLimitNext(1);
    alerts.raise({ kind: 'send_failed', message: 'Blooio returned 500' });
    await telegram.waitForMessages(1);

    expect(telegram.rateLimited).toHaveLength(1);
    expect(telegram.messages[0].at - telegram.rateLimited[0]).toBeGreaterThanOrEqual(990);
    expect(telegram.messages[0].text).not.toContain(fakeTelegramToken);
  });
});
