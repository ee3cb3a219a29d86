import Redis from 'ioredis';
import type { PinoLogger } from 'nestjs-pino';

import { RateLimitStorage } from '../src/common/throttling/rate-limit-storage';
import { RateLimiterHealth } from '../src/common/throttling/rate-limiter-health';
import { loadConfig } from '../src/config/load-config';
import { testRedisUrl } from './support/test-database';

function silentLogger(): PinoLogger {
  return { setContext: jest.fn(), info: jest.fn(), error: jest.fn() } as unknown as PinoLogger;
}

/** Counts the socket writes the client makes while work runs. */
async function writesDuring(redis: Redis, work: () => Promise<unknown>): Promise<number> {
  const socket = redis.stream as unknown as {
    _write: (...args: unknown[]) => void;
    _writev: (...args: unknown[]) => void;
  };
  const single = jest.spyOn(socket, '_write');
  const batched = jest.spyOn(socket, '_writev');

  await work();

  const writes = single.mock.calls.length + batched.mock.calls.length;

  single.mockRestore();
  batched.mockRestore();

  return writes;
}

describe('Rate-limit counts in one Redis write', () => {
  let redis: Redis;
  let storage: RateLimitStorage;
  const prefix = `writes-test:${process.pid}:${Date.now()}:`;

  beforeAll(async () => {
    redis = new Redis(testRedisUrl, { enableOfflineQueue: false, lazyConnect: true });
    await redis.connect();
    storage = new RateLimitStorage(
      redis,
      loadConfig({}),
      new RateLimiterHealth(silentLogger()),
      silentLogger(),
    );
  });

  afterAll(async () => {
    storage.onApplicationShutdown();
    await redis.quit();
  });

  const countBoth = (key: string): Promise<unknown>[] => [
    storage.increment(`${prefix}${key}`, 10_000, 5, 10_000, 'ip-burst'),
    storage.increment(`${prefix}${key}`, 60_000, 50, 60_000, 'ip-sustained'),
  ];

  it('sends two counts in one write', async () => {
    const writes = await writesDuring(redis, () =>
      Promise.all(storage.inOneWrite(() => countBoth('together'))),
    );

    expect(writes).toBe(1);
  });

  it('sends two counts in two writes otherwise', async () => {
    const writes = await writesDuring(redis, () => Promise.all(countBoth('apart')));

    expect(writes).toBe(2);
  });

  it('returns the counts of the one write', async () => {
    const [burst, sustained] = await Promise.all(storage.inOneWrite(() => countBoth('counted')));

    expect(burst).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(sustained).toMatchObject({ totalHits: 1, isBlocked: false });
  });
});
