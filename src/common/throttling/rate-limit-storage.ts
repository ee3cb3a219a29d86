import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { PinoLogger } from 'nestjs-pino';

import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { withTimeout } from '../../health/with-timeout';
import { REDIS_CLIENT } from '../../redis/redis.module';
import type { RedisClient } from '../../redis/redis.module';
import { FallbackCounter } from './fallback-counter';
import { RateLimiterHealth } from './rate-limiter-health';

export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/** While Redis is failing, one request per interval tries it again and the others skip the wait. */
const outageProbeIntervalMs = 1000;

/**
 * Counts rate-limit hits in Redis, shared by every instance, or in this instance's memory when
 * REDIS_URL is unset or Redis is unreachable.
 *
 * Each Redis call is bounded by RATE_LIMIT_REDIS_TIMEOUT_MS. The shared client never queues
 * commands while disconnected (enableOfflineQueue false), so a refused or dropped connection fails
 * at once. The timeout covers a Redis that keeps the connection open and sends no reply, and ends
 * the wait no later than the client's own 500 ms commandTimeout. After a failure the store stops
 * waiting on Redis and lets one request per second try it again until a reply arrives.
 *
 * During an outage, FallbackCounter counts in memory from the last record Redis returned for each
 * key, so a client that had spent or exceeded its limit gets no fresh allowance.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly local = new ThrottlerStorageService();
  private readonly fallback = new FallbackCounter();
  private readonly shared?: ThrottlerStorageRedisService;
  private readonly timeoutMs: number;
  private nextProbeAt = 0;
  /** Inside inOneWrite: whether its counts go to Redis, decided once for all of them. */
  private writeGoesToRedis?: boolean;

  constructor(
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly health: RateLimiterHealth,
    logger: PinoLogger,
  ) {
    this.shared = redis ? new ThrottlerStorageRedisService(redis) : undefined;
    this.timeoutMs = config.rateLimit.redisTimeoutMs;
    logger.setContext(RateLimitStorage.name);
    logger.info(
      { store: redis ? 'redis' : 'memory', ...config.rateLimit },
      redis
        ? 'Rate limits are counted in Redis, shared by all instances'
        : 'Rate limits are counted in memory, per instance, because REDIS_URL is not set',
    );
  }

  /** Counts a hit in Redis, or in this instance's memory when Redis is unset or unreachable. */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    if (!this.shared) {
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }

    const shared = await this.incrementShared(key, ttl, limit, blockDuration, throttlerName);

    return shared ?? this.fallback.increment(`${key}:${throttlerName}`, ttl, limit, blockDuration);
  }

  /**
   * Counts a hit like increment, but returns undefined instead of counting in memory when Redis is
   * configured and unreachable, so the caller can reject the request.
   */
  async incrementFailClosed(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord | undefined> {
    if (!this.shared) {
      return this.local.increment(key, ttl, limit, blockDuration, throttlerName);
    }

    return this.incrementShared(key, ttl, limit, blockDuration, throttlerName);
  }

  /**
   * Calls start with the Redis connection's writes held back until it returns, so the commands it
   * sends synchronously leave in one write, and Redis reads them and replies to them together. The
   * guards count all of a request's limits this way.
   */
  inOneWrite<T>(start: () => T): T {
    // One decision for the whole write: during an outage, the probe that one count takes lets
    // the request's other counts try Redis too, instead of leaving them to the fallback.
    this.writeGoesToRedis = this.shared ? this.isRedisWorthTrying() : undefined;

    // ioredis exposes its socket as `stream` but does not document it. Corking only batches the
    // writes: without the property, each command would still be sent, in a write of its own.
    const socket = this.writeGoesToRedis ? this.redis?.stream : undefined;

    socket?.cork();

    try {
      return start();
    } finally {
      this.writeGoesToRedis = undefined;
      socket?.uncork();
    }
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
    this.fallback.clear();
  }

  private async incrementShared(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord | undefined> {
    if (!this.shared || !(this.writeGoesToRedis ?? this.isRedisWorthTrying())) {
      return undefined;
    }

    try {
      const record = await withTimeout(
        this.shared.increment(key, ttl, limit, blockDuration, throttlerName),
        this.timeoutMs,
      );

      this.health.recordSuccess();

      return this.fallback.applyRedisRecord(
        `${key}:${throttlerName}`,
        record,
        limit,
        blockDuration,
      );
    } catch (error) {
      this.nextProbeAt = Date.now() + outageProbeIntervalMs;
      this.health.recordFailure(error);

      return undefined;
    }
  }

  private isRedisWorthTrying(): boolean {
    const status = this.redis?.status;

    if (status !== 'ready') {
      this.health.recordFailure(new Error(`Redis connection is ${status}`));

      return false;
    }

    if (!this.health.isDown()) {
      return true;
    }

    const now = Date.now();

    if (now < this.nextProbeAt) {
      return false;
    }

    this.nextProbeAt = now + outageProbeIntervalMs;

    return true;
  }
}
