import { Global, Inject, Logger, Module } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';

export const REDIS_CLIENT = Symbol('REDIS_CLIENT');

/** The shared Redis connection, or null when REDIS_URL is unset and in-memory fallbacks are used. */
export type RedisClient = Redis | null;

function createRedis(config: AppConfig): RedisClient {
  const logger = new Logger('Redis');

  if (!config.redisUrl) {
    logger.warn(
      'REDIS_URL is not set: rate limits are kept in memory, valid for a single instance only',
    );

    return null;
  }

  // No offline queue and one attempt per command: while Redis is down, commands fail at once
  // instead of piling up, and the client keeps reconnecting in the background.
  const client = new Redis(config.redisUrl, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: 500,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    lazyConnect: false,
    // No auto-pipelining: ioredis defines accessors on each pipeline it builds, so V8 gives every
    // pipeline a hidden class of its own, and that kept each request's rate-limit calls alive into
    // the old generation (BENCHMARKS.md, "Hidden classes made per request"). The writes it shared
    // did not show in the CPU per message.
    enableAutoPipelining: false,
  });

  let isDown = false;

  client.on('error', (error: Error) => {
    if (!isDown) {
      logger.error(`Redis connection failed: ${error.message}`);
      isDown = true;
    }
  });
  client.on('ready', () => {
    if (isDown) {
      logger.log('Redis connection restored');
    }

    isDown = false;
  });

  return client;
}

@Global()
@Module({
  providers: [{ provide: REDIS_CLIENT, inject: [APP_CONFIG], useFactory: createRedis }],
  exports: [REDIS_CLIENT],
})
export class RedisModule implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('Redis');

  constructor(@Inject(REDIS_CLIENT) private readonly redis: RedisClient) {}

  // Waits briefly for the first connection so the instance reports ready as soon as it listens.
  // Redis being down does not stop the boot: readiness reports it and the limiter falls back.
  async onModuleInit(): Promise<void> {
    const redis = this.redis;

    if (!redis || redis.status === 'ready') {
      return;
    }

    const isReady = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 2000);

      redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });

    if (!isReady) {
      this.logger.warn('Redis is not reachable yet; continuing without it until it connects');
    }
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.redis && this.redis.status !== 'end') {
      await this.redis.quit().catch(() => this.redis?.disconnect());
    }
  }
}
