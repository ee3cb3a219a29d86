import Redis from 'ioredis';
import type { PinoLogger } from 'nestjs-pino';

import type { AppConfig } from '../../config/app-config';
import { loadConfig } from '../../config/load-config';
import { RateLimitStorage } from './rate-limit-storage';
import type { ThrottlerStorageRecord } from './rate-limit-storage';
import { RateLimiterHealth } from './rate-limiter-health';

const timeoutMs = 50;
const second = 1000;
// The reply of the Redis storage's Lua script: totalHits, ttl left (ms), isBlocked, block left (ms).
const redisReply = [1, 60_000, 0, 0];

function silentLogger(): PinoLogger {
  return {
    setContext: jest.fn(),
    info: jest.fn(),
    error: jest.fn(),
    warn: jest.fn(),
  } as unknown as PinoLogger;
}

function config(): AppConfig {
  return loadConfig({ RATE_LIMIT_REDIS_TIMEOUT_MS: String(timeoutMs) });
}

/** Creates a real client that never connects, whose status and replies each test sets. */
function idleRedis(status: Redis['status']): Redis & { call: jest.Mock } {
  const redis = new Redis({ lazyConnect: true, enableOfflineQueue: false });

  redis.status = status;
  jest.spyOn(redis, 'call');

  return redis as Redis & { call: jest.Mock };
}

function createStorage(redis: Redis | null): {
  storage: RateLimitStorage;
  health: RateLimiterHealth;
} {
  const health = new RateLimiterHealth(silentLogger());
  const storage = new RateLimitStorage(redis, config(), health, silentLogger());

  return { storage, health };
}

async function hitRecord(
  storage: RateLimitStorage,
  key = 'client',
): Promise<ThrottlerStorageRecord> {
  return storage.increment(key, 60 * second, 10, 60 * second, 'ip-burst');
}

async function hit(storage: RateLimitStorage, key = 'client'): Promise<number> {
  return (await hitRecord(storage, key)).totalHits;
}

describe(RateLimitStorage.name, () => {
  let storages: RateLimitStorage[] = [];

  function track(created: ReturnType<typeof createStorage>): ReturnType<typeof createStorage> {
    storages.push(created.storage);

    return created;
  }

  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    storages.forEach((storage) => storage.onApplicationShutdown());
    storages = [];
    jest.useRealTimers();
  });

  describe('increment', () => {
    it('counts in memory without Redis', async () => {
      const { storage, health } = track(createStorage(null));

      expect(await hit(storage)).toBe(1);
      expect(await hit(storage)).toBe(2);
      expect(health.isDown()).toBe(false);
    });

    it('counts in Redis when it answers', async () => {
      const redis = idleRedis('ready');
      const { storage, health } = track(createStorage(redis));

      redis.call.mockResolvedValue(redisReply);

      expect(await hit(storage)).toBe(1);
      expect(redis.call).toHaveBeenCalledTimes(1);
      expect(health.isDown()).toBe(false);
    });

    it('counts in memory at once while disconnected', async () => {
      const redis = idleRedis('reconnecting');
      const { storage, health } = track(createStorage(redis));

      expect(await hit(storage)).toBe(1);
      expect(await hit(storage)).toBe(2);
      expect(redis.call).not.toHaveBeenCalled();
      expect(health.isDown()).toBe(true);
    });

    it('counts in memory when a command fails', async () => {
      const redis = idleRedis('ready');
      const { storage, health } = track(createStorage(redis));

      redis.call.mockRejectedValue(new Error('Connection is closed.'));

      expect(await hit(storage)).toBe(1);
      expect(health.isDown()).toBe(true);
    });

    it('gives up on a silent Redis after the timeout', async () => {
      const redis = idleRedis('ready');
      const { storage, health } = track(createStorage(redis));

      redis.call.mockReturnValue(new Promise(() => undefined));

      const pending = hit(storage);
      let settled = false;

      void pending.then(() => (settled = true));
      await jest.advanceTimersByTimeAsync(timeoutMs - 1);
      expect(settled).toBe(false);
      await jest.advanceTimersByTimeAsync(1);

      expect(await pending).toBe(1);
      expect(health.isDown()).toBe(true);
    });

    it('skips Redis during an outage until the probe interval passes', async () => {
      const redis = idleRedis('ready');
      const { storage } = track(createStorage(redis));

      redis.call.mockRejectedValue(new Error('timed out'));
      await hit(storage);
      await hit(storage);
      await jest.advanceTimersByTimeAsync(second - 1);
      await hit(storage);

      expect(redis.call).toHaveBeenCalledTimes(1);

      await jest.advanceTimersByTimeAsync(1);
      await hit(storage);

      expect(redis.call).toHaveBeenCalledTimes(2);
    });

    it('returns to Redis when a probe succeeds', async () => {
      const redis = idleRedis('ready');
      const { storage, health } = track(createStorage(redis));

      redis.call.mockRejectedValueOnce(new Error('timed out'));
      await hit(storage);
      await jest.advanceTimersByTimeAsync(second);
      redis.call.mockResolvedValue(redisReply);
      await hit(storage);
      await hit(storage);

      expect(health.isDown()).toBe(false);
      expect(redis.call).toHaveBeenCalledTimes(3);
    });
  });

  describe('inOneWrite', () => {
    it("sends a probe's other counts to Redis too", async () => {
      const redis = idleRedis('ready');
      const { storage, health } = track(createStorage(redis));

      redis.call.mockRejectedValueOnce(new Error('timed out'));
      await hit(storage);
      await jest.advanceTimersByTimeAsync(second);
      redis.call.mockResolvedValue(redisReply);

      const records = await Promise.all(
        storage.inOneWrite(() => [
          storage.incrementFailClosed('client', 60 * second, 10, 60 * second, 'ip-burst'),
          storage.incrementFailClosed('client', 600 * second, 100, 600 * second, 'ip-sustained'),
        ]),
      );

      // The burst count adds the hit counted in memory during the outage.
      expect(records.map((record) => record?.totalHits)).toEqual([2, 1]);
      expect(redis.call).toHaveBeenCalledTimes(3);
      expect(health.isDown()).toBe(false);
    });

    it('keeps every count of a write off Redis during an outage', async () => {
      const redis = idleRedis('ready');
      const { storage } = track(createStorage(redis));

      redis.call.mockRejectedValueOnce(new Error('timed out'));
      await hit(storage);

      const records = await Promise.all(
        storage.inOneWrite(() => [
          storage.incrementFailClosed('client', 60 * second, 10, 60 * second, 'ip-burst'),
          storage.incrementFailClosed('client', 600 * second, 100, 600 * second, 'ip-sustained'),
        ]),
      );

      expect(records).toEqual([undefined, undefined]);
      expect(redis.call).toHaveBeenCalledTimes(1);
    });

    it('counts in memory without Redis', async () => {
      const { storage, health } = track(createStorage(null));

      const records = await Promise.all(storage.inOneWrite(() => [hitRecord(storage)]));

      expect(records.map((record) => record.totalHits)).toEqual([1]);
      expect(health.isDown()).toBe(false);
    });
  });

  describe('increment during an outage', () => {
    it('continues from the last Redis count', async () => {
      const redis = idleRedis('ready');
      const { storage } = track(createStorage(redis));

      redis.call.mockResolvedValueOnce([7, 60_000, 0, 0]);
      redis.call.mockRejectedValue(new Error('timed out'));
      await hit(storage);

      expect(await hit(storage)).toBe(8);
      expect(await hit(storage)).toBe(9);
    });

    it('keeps a Redis block', async () => {
      const redis = idleRedis('ready');
      const { storage } = track(createStorage(redis));

      redis.call.mockResolvedValueOnce([11, 60_000, 1, 45_000]);
      redis.call.mockRejectedValue(new Error('timed out'));
      await hit(storage);

      const record = await hitRecord(storage);

      expect(record.isBlocked).toBe(true);
      expect(record.timeToBlockExpire).toBe(45);
    });

    it('continues per key and throttler', async () => {
      const redis = idleRedis('ready');
      const { storage } = track(createStorage(redis));

      redis.call.mockResolvedValueOnce([7, 60_000, 0, 0]);
      redis.call.mockRejectedValue(new Error('timed out'));
      await hit(storage);

      const other = await storage.increment('client', 60 * second, 10, 60 * second, 'tenant');

      expect(other.totalHits).toBe(1);
      expect(await hit(storage, 'another-client')).toBe(1);
    });

    it('adds memory hits to the next Redis record', async () => {
      const redis = idleRedis('ready');
      const { storage } = track(createStorage(redis));

      redis.call.mockResolvedValueOnce([4, 60_000, 0, 0]);
      redis.call.mockRejectedValueOnce(new Error('timed out'));
      await hit(storage);
      await hit(storage);
      await hit(storage);
      await jest.advanceTimersByTimeAsync(second);
      redis.call.mockResolvedValue([5, 59_000, 0, 0]);

      expect(await hit(storage)).toBe(7);
    });
  });

  describe('incrementFailClosed', () => {
    it('counts in memory without Redis', async () => {
      const { storage } = track(createStorage(null));
      const record = await storage.incrementFailClosed('client', second, 10, second, 'ip-burst');

      expect(record?.totalHits).toBe(1);
    });

    it('returns undefined while Redis is unreachable', async () => {
      const redis = idleRedis('reconnecting');
      const { storage } = track(createStorage(redis));
      const record = await storage.incrementFailClosed('client', second, 10, second, 'ip-burst');

      expect(record).toBeUndefined();
    });
  });
});
