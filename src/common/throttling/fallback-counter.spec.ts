import { FallbackCounter, maxRememberedKeys } from './fallback-counter';
import type { ThrottlerStorageRecord } from './rate-limit-storage';

const second = 1000;
const limit = 10;
const ttl = 60 * second;
const blockDuration = 60 * second;

function redisRecord(overrides: Partial<ThrottlerStorageRecord> = {}): ThrottlerStorageRecord {
  return { totalHits: 1, timeToExpire: 60, isBlocked: false, timeToBlockExpire: 0, ...overrides };
}

function hit(counter: FallbackCounter, key = 'client'): ThrottlerStorageRecord {
  return counter.increment(key, ttl, limit, blockDuration);
}

function hits(counter: FallbackCounter, count: number, key = 'client'): ThrottlerStorageRecord[] {
  return Array.from({ length: count }, () => hit(counter, key));
}

describe(FallbackCounter.name, () => {
  beforeEach(() => {
    jest.useFakeTimers();
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  describe('increment', () => {
    it('starts an unknown key at one', () => {
      const counter = new FallbackCounter();

      expect(hit(counter)).toEqual({
        totalHits: 1,
        timeToExpire: 60,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
    });

    it('continues from the Redis count', () => {
      const counter = new FallbackCounter();

      counter.applyRedisRecord('client', redisRecord({ totalHits: 8 }), limit, blockDuration);

      const [ninth, tenth, eleventh] = hits(counter, 3);

      expect(ninth.totalHits).toBe(9);
      expect(tenth.isBlocked).toBe(false);
      expect(eleventh.isBlocked).toBe(true);
      expect(eleventh.timeToBlockExpire).toBe(60);
    });

    it('keeps a Redis block until it ends', () => {
      const counter = new FallbackCounter();
      const blocked = redisRecord({
        totalHits: 11,
        timeToExpire: 20,
        isBlocked: true,
        timeToBlockExpire: 30,
      });

      counter.applyRedisRecord('client', blocked, limit, blockDuration);
      jest.advanceTimersByTime(29 * second);

      const during = hit(counter);

      jest.advanceTimersByTime(second);

      const after = hit(counter);

      expect(during.isBlocked).toBe(true);
      expect(during.timeToBlockExpire).toBe(1);
      expect(after.isBlocked).toBe(false);
    });

    it('counts the hits of a blocked key', () => {
      const counter = new FallbackCounter();
      const records = hits(counter, 13);

      expect(records.map((record) => record.totalHits)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
      ]);
      expect(records.map((record) => record.isBlocked)).toEqual([
        ...Array<boolean>(10).fill(false),
        true,
        true,
        true,
      ]);
    });

    it('starts a new window after the Redis window ends', () => {
      const counter = new FallbackCounter();

      counter.applyRedisRecord(
        'client',
        redisRecord({ totalHits: 9, timeToExpire: 5 }),
        limit,
        ttl,
      );
      jest.advanceTimersByTime(5 * second);

      expect(hit(counter)).toEqual({
        totalHits: 1,
        timeToExpire: 60,
        isBlocked: false,
        timeToBlockExpire: 0,
      });
    });

    it('blocks again when a block ends within an exceeded window', () => {
      const counter = new FallbackCounter();
      const shortBlock = 10 * second;

      for (let i = 0; i < 11; i += 1) {
        counter.increment('client', ttl, limit, shortBlock);
      }

      jest.advanceTimersByTime(shortBlock);

      const record = counter.increment('client', ttl, limit, shortBlock);

      expect(record.totalHits).toBe(12);
      expect(record.isBlocked).toBe(true);
      expect(record.timeToBlockExpire).toBe(10);
    });

    it('keeps keys apart', () => {
      const counter = new FallbackCounter();

      hits(counter, 11, 'first');

      expect(hit(counter, 'second').totalHits).toBe(1);
    });
  });

  describe('applyRedisRecord', () => {
    it('returns the Redis record without counts from memory', () => {
      const counter = new FallbackCounter();
      const record = redisRecord({ totalHits: 4, timeToExpire: 12 });

      expect(counter.applyRedisRecord('client', record, limit, blockDuration)).toBe(record);
    });

    it('adds the hits counted in memory while their window lasts', () => {
      const counter = new FallbackCounter();

      counter.applyRedisRecord('client', redisRecord({ totalHits: 3 }), limit, blockDuration);
      hits(counter, 4);

      const record = counter.applyRedisRecord(
        'client',
        redisRecord({ totalHits: 4 }),
        limit,
        blockDuration,
      );

      expect(record.totalHits).toBe(8);
      expect(record.isBlocked).toBe(false);
    });

    it('blocks when Redis and memory together exceed the limit', () => {
      const counter = new FallbackCounter();

      counter.applyRedisRecord('client', redisRecord({ totalHits: 5 }), limit, blockDuration);
      hits(counter, 5);

      const record = counter.applyRedisRecord(
        'client',
        redisRecord({ totalHits: 6 }),
        limit,
        blockDuration,
      );

      expect(record.totalHits).toBe(11);
      expect(record.isBlocked).toBe(true);
      expect(record.timeToBlockExpire).toBe(60);
    });

    it('keeps a block started in memory', () => {
      const counter = new FallbackCounter();

      hits(counter, 11);
      jest.advanceTimersByTime(30 * second);

      const record = counter.applyRedisRecord('client', redisRecord(), limit, blockDuration);

      expect(record.isBlocked).toBe(true);
      expect(record.timeToBlockExpire).toBe(30);
    });

    it('drops the hits counted in memory once their window ends', () => {
      const counter = new FallbackCounter();

      hits(counter, 5);
      jest.advanceTimersByTime(ttl);

      const record = redisRecord({ totalHits: 2 });

      expect(counter.applyRedisRecord('client', record, limit, blockDuration)).toBe(record);
    });
  });

  describe('memory', () => {
    it('forgets the least recently used key past the cap', () => {
      const counter = new FallbackCounter();

      hits(counter, 5, 'oldest');
      hits(counter, 5, 'recent');

      for (let i = 0; i < maxRememberedKeys - 2; i += 1) {
        counter.applyRedisRecord(`client-${i}`, redisRecord(), limit, blockDuration);
      }

      hit(counter, 'recent');
      counter.applyRedisRecord('one-more', redisRecord(), limit, blockDuration);

      expect(counter.size).toBe(maxRememberedKeys);
      expect(hit(counter, 'recent').totalHits).toBe(7);
      expect(hit(counter, 'oldest').totalHits).toBe(1);
    });

    it('sweeps keys whose window and block have ended', () => {
      const counter = new FallbackCounter();

      for (let i = 0; i < 11; i += 1) {
        counter.increment('blocked', ttl, limit, 2 * ttl);
      }

      hit(counter, 'idle');
      counter.applyRedisRecord('short', redisRecord({ timeToExpire: 5 }), limit, blockDuration);
      jest.advanceTimersByTime(ttl);
      counter.applyRedisRecord('trigger', redisRecord(), limit, blockDuration);

      expect(counter.size).toBe(2);
      expect(hit(counter, 'blocked').isBlocked).toBe(true);
    });
  });
});
