import type { PinoLogger } from 'nestjs-pino';
import { Store, storage as requestLogContext } from 'nestjs-pino/storage';
import pino from 'pino';

import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { AlertService } from './alert.service';
import type { TelegramClient, TelegramSendResult } from './telegram-client';

const token = '123456789:AAHsecretsecretsecretsecretsecret0';

function makeConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    TELEGRAM_BOT_TOKEN: token,
    TELEGRAM_CHAT_ID: '-1001',
    ALERT_COOLDOWN_MS: '60000',
    ALERT_MIN_INTERVAL_MS: '1000',
    ...overrides,
  });
}

function makeLogger(): PinoLogger {
  return {
    setContext: jest.fn(),
    info: jest.fn(),
    warn: jest.fn(),
    error: jest.fn(),
  } as unknown as PinoLogger;
}

function makeTelegram(results: TelegramSendResult[] = []): {
  client: TelegramClient;
  sent: { text: string; at: number }[];
} {
  const sent: { text: string; at: number }[] = [];
  const client = {
    isEnabled: () => true,
    sendMessage: jest.fn((text: string) => {
      const result = results.shift() ?? { outcome: 'sent' };

      if (result.outcome === 'sent') {
        sent.push({ text, at: Date.now() });
      }

      return Promise.resolve(result);
    }),
  } as unknown as TelegramClient;

  return { client, sent };
}

describe(AlertService.name, () => {
  beforeEach(() => {
    jest.useFakeTimers({ now: new Date('2026-12-04T10:00:00Z') });
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('coalesces 100 identical errors into two messages', async () => {
    const telegram = makeTelegram();
    const service = new AlertService(makeConfig(), telegram.client, makeLogger());

    for (let i = 0; i < 100; i += 1) {
      service.raise({ kind: 'unexpected_error', message: 'Database timed out' });
      await jest.advanceTimersByTimeAsync(590);
    }

    await jest.advanceTimersByTimeAsync(61000);

    expect(telegram.sent).toHaveLength(2);
    expect(telegram.sent[0].text).toContain('Database timed out');
    expect(telegram.sent[1].text).toContain('repeated 99 more times');
  });

  it('logs the first alert and the repeat count', async () => {
    const logger = makeLogger();
    const service = new AlertService(makeConfig(), makeTelegram().client, logger);

    for (let i = 0; i < 100; i += 1) {
      service.raise({ kind: 'unexpected_error', message: 'Database timed out' });
    }

    await jest.advanceTimersByTimeAsync(61000);

    expect(jest.mocked(logger.warn).mock.calls).toEqual([
      [expect.objectContaining({ alertKind: 'unexpected_error' }), expect.any(String)],
      [{ repeats: 99 }, expect.stringContaining('repeated 99 more times')],
    ]);
  });

  it('reports a closed window when its timer runs late', () => {
    const logger = makeLogger();
    const service = new AlertService(makeConfig(), makeTelegram().client, logger);
    const alert = { kind: 'unexpected_error' as const, message: 'Database timed out' };

    service.raise(alert);
    service.raise(alert);
    service.raise(alert);
    // The clock passes the 60 s window before the flush timer gets to run.
    jest.setSystemTime(Date.now() + 61_000);
    service.raise(alert);

    expect(jest.mocked(logger.warn).mock.calls.map(([fields]) => fields)).toEqual([
      expect.objectContaining({ alertKind: 'unexpected_error' }),
      { repeats: 2 },
      expect.objectContaining({ alertKind: 'unexpected_error' }),
    ]);
  });

  it('logs the repeat count outside the request log context', () => {
    const logger = makeLogger();
    const contexts: unknown[] = [];

    jest.mocked(logger.warn).mockImplementation(() => {
      contexts.push(requestLogContext.getStore());
    });

    const service = new AlertService(makeConfig(), makeTelegram().client, logger);
    const alert = { kind: 'unexpected_error' as const, message: 'Database timed out' };
    const first = new Store(pino({ enabled: false }));
    const later = new Store(pino({ enabled: false }));

    requestLogContext.run(first, () => {
      service.raise(alert);
      service.raise(alert);
    });
    jest.setSystemTime(Date.now() + 61_000);
    // This request closes the window, so the count of the earlier repeats is logged during it.
    requestLogContext.run(later, () => service.raise(alert));

    expect(contexts).toEqual([first, undefined, later]);
  });

  it('keeps different fingerprints apart', async () => {
    const telegram = makeTelegram();
    const service = new AlertService(makeConfig(), telegram.client, makeLogger());

    service.raise({ kind: 'guard_tripped', message: 'daily cap', fingerprint: 'a' });
    service.raise({ kind: 'guard_tripped', message: 'daily cap', fingerprint: 'b' });
    await jest.advanceTimersByTimeAsync(5000);

    expect(telegram.sent).toHaveLength(2);
  });

  it('sends at most one message per interval', async () => {
    const telegram = makeTelegram();
    const service = new AlertService(makeConfig(), telegram.client, makeLogger());

    for (let i = 0; i < 5; i += 1) {
      service.raise({ kind: 'send_failed', message: `failure ${i}` });
    }

    await jest.advanceTimersByTimeAsync(10000);

    const gaps = telegram.sent.slice(1).map((entry, i) => entry.at - telegram.sent[i].at);

    expect(telegram.sent).toHaveLength(5);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(1000);
  });

  it('waits for retry_after before resending', async () => {
    const telegram = makeTelegram([{ outcome: 'rate_limited', retryAfterMs: 7000 }]);
    const service = new AlertService(makeConfig(), telegram.client, makeLogger());
    const raisedAt = Date.now();

    service.raise({ kind: 'send_failed', message: 'Blooio returned 500' });
    await jest.advanceTimersByTimeAsync(6000);

    expect(telegram.sent).toHaveLength(0);

    await jest.advanceTimersByTimeAsync(2000);

    expect(telegram.sent).toHaveLength(1);
    expect(telegram.sent[0].at - raisedAt).toBeGreaterThanOrEqual(7000);
  });

  it('masks phone numbers and the bot token', async () => {
    const telegram = makeTelegram();
    const service = new AlertService(makeConfig(), telegram.client, makeLogger());

    service.raise({
      kind: 'send_failed',
      message: `Send to +14155550123 failed with token ${token}`,
    });
    await jest.advanceTimersByTimeAsync(10);

    expect(telegram.sent[0].text).not.toContain('4155550123');
    expect(telegram.sent[0].text).toContain('+•••••••••23');
    expect(telegram.sent[0].text).not.toContain(token);
  });

  it('masks secrets in Telegram errors', async () => {
    const logger = makeLogger();
    const telegram = makeTelegram([
      { outcome: 'failed', reason: `HTTP 400: chat not found for /bot${token}/sendMessage` },
    ]);
    const service = new AlertService(makeConfig(), telegram.client, logger);

    service.raise({ kind: 'send_failed', message: 'Blooio returned 500' });
    await jest.advanceTimersByTimeAsync(10);

    expect(logger.error).toHaveBeenCalledWith(
      { reason: 'HTTP 400: chat not found for /bot[redacted]/sendMessage' },
      'Sending an alert to Telegram failed',
    );
  });

  it('limits a message to 4096 characters', async () => {
    const telegram = makeTelegram();
    const service = new AlertService(makeConfig(), telegram.client, makeLogger());

    service.raise({ kind: 'unexpected_error', message: 'x'.repeat(10000) });
    await jest.advanceTimersByTimeAsync(10);

    expect(telegram.sent[0].text.length).toBeLessThanOrEqual(4096);
  });
});
