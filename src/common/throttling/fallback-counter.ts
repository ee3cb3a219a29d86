import type { ThrottlerStorageRecord } from './rate-limit-storage';

/** Maximum number of remembered keys. Past it, the least recently used key is forgotten. */
export const maxRememberedKeys = 50_000;

/** How often expired keys are swept out, at the latest. */
const sweepIntervalMs = 10_000;

/**
 * One key's window as this instance has seen it: the count and block Redis last returned, plus the
 * hits and block counted in memory since. Times are epoch milliseconds, and 0 means no block.
 */
interface KnownWindow {
  redisHits: number;
  localHits: number;
  windowEndsAt: number;
  redisBlockEndsAt: number;
  localBlockEndsAt: number;
}

function toMilliseconds(seconds: number): number {
  return seconds * 1000;
}

function toSeconds(milliseconds: number): number {
  return Math.ceil(milliseconds / 1000);
}

/**
 * Counts hits in this instance's memory while Redis is unreachable, continuing each key's window
 * from the last record Redis returned for it, so a stall gives no client a fresh allowance.
 *
 * It counts like the Redis script of @nest-lab/throttler-storage-redis 1.2.0: a fixed window from
 * the first hit, every hit counts (blocked ones too), and the hit that goes over the limit blocks
 * the key for blockDuration. Redis returns times in whole seconds rounded up, so a remembered
 * window or block can end up to one second later than in Redis.
 *
 * Hits counted here are added to Redis's count while their window lasts, and a block started here
 * holds until it ends, even once Redis replies again.
 * NOTE: a hit whose Redis call timed out may have reached Redis too; it is then counted twice until
 * its window ends, which errs towards rejecting.
 */
export class FallbackCounter {
  private readonly windows = new Map<string, KnownWindow>();
  private nextSweepAt = 0;

  /**
   * Remembers a record Redis returned and returns the record to enforce, which also includes the
   * hits and the block counted in memory during an outage.
   */
  applyRedisRecord(
    key: string,
    record: ThrottlerStorageRecord,
    limit: number,
    blockDuration: number,
  ): ThrottlerStorageRecord {
    const now = Date.now();
    const known = this.liveWindow(key, now);
    const redisBlockEndsAt = record.isBlocked ? now + toMilliseconds(record.timeToBlockExpire) : 0;

    if (!known || !this.hasLocalCounts(known, now)) {
      this.remember(key, now, {
        redisHits: record.totalHits,
        localHits: 0,
        windowEndsAt: now + toMilliseconds(record.timeToExpire),
        redisBlockEndsAt,
        localBlockEndsAt: 0,
      });

      return record;
    }

    if (now >= known.windowEndsAt) {
      known.localHits = 0;
      known.windowEndsAt = now + toMilliseconds(record.timeToExpire);
    }

    known.redisHits = record.totalHits;
    known.redisBlockEndsAt = redisBlockEndsAt;
    this.blockOverLimit(known, now, limit, blockDuration);
    this.remember(key, now, known);

    return this.toRecord(known, now);
  }

  /** Counts a hit in memory, from the last count Redis returned while that window lasts. */
  increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): ThrottlerStorageRecord {
    const now = Date.now();
    const known = this.liveWindow(key, now) ?? this.emptyWindow(now, ttl);

    if (now >= known.windowEndsAt) {
      known.redisHits = 0;
      known.localHits = 0;
      known.windowEndsAt = now + ttl;
    }

    known.localHits += 1;
    this.blockOverLimit(known, now, limit, blockDuration);
    this.remember(key, now, known);

    return this.toRecord(known, now);
  }

  get size(): number {
    return this.windows.size;
  }

  clear(): void {
    this.windows.clear();
  }

  private emptyWindow(now: number, ttl: number): KnownWindow {
    return {
      redisHits: 0,
      localHits: 0,
      windowEndsAt: now + ttl,
      redisBlockEndsAt: 0,
      localBlockEndsAt: 0,
    };
  }

  private blockOverLimit(
    known: KnownWindow,
    now: number,
    limit: number,
    blockDuration: number,
  ): void {
    const isBlocked = Math.max(known.redisBlockEndsAt, known.localBlockEndsAt) > now;

    if (!isBlocked && known.redisHits + known.localHits > limit) {
      known.localBlockEndsAt = now + blockDuration;
    }
  }

  private hasLocalCounts(known: KnownWindow, now: number): boolean {
    return (known.localHits > 0 && now < known.windowEndsAt) || known.localBlockEndsAt > now;
  }

  private toRecord(known: KnownWindow, now: number): ThrottlerStorageRecord {
    const blockEndsAt = Math.max(known.redisBlockEndsAt, known.localBlockEndsAt);
    const isBlocked = blockEndsAt > now;

    return {
      totalHits: known.redisHits + known.localHits,
      timeToExpire: toSeconds(known.windowEndsAt - now),
      isBlocked,
      timeToBlockExpire: isBlocked ? toSeconds(blockEndsAt - now) : 0,
    };
  }

  private liveWindow(key: string, now: number): KnownWindow | undefined {
    const known = this.windows.get(key);

    if (known && this.isExpired(known, now)) {
      this.windows.delete(key);

      return undefined;
    }

    return known;
  }

  private isExpired(known: KnownWindow, now: number): boolean {
    return (
      now >= known.windowEndsAt && now >= known.redisBlockEndsAt && now >= known.localBlockEndsAt
    );
  }

  // Deleting before setting moves the key to the end of the Map's order, so the first key is always
  // the least recently used one.
  private remember(key: string, now: number, known: KnownWindow): void {
    this.windows.delete(key);
    this.windows.set(key, known);

    if (this.windows.size > maxRememberedKeys) {
      const oldest = this.windows.keys().next().value as string;

      this.windows.delete(oldest);
    }

    if (now >= this.nextSweepAt) {
      this.nextSweepAt = now + sweepIntervalMs;
      this.sweep(now);
    }
  }

  private sweep(now: number): void {
    for (const [key, known] of this.windows) {
      if (this.isExpired(known, now)) {
        this.windows.delete(key);
      }
    }
  }
}
