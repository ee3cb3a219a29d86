import { Inject, Injectable, Optional } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { PinoLogger } from 'nestjs-pino';

import { AlertService } from '../alerts/alert.service';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { PrismaService } from '../database/prisma.service';
import { REDIS_CLIENT } from '../redis/redis.module';
import type { RedisClient } from '../redis/redis.module';
import { TimeoutError, withTimeout } from './with-timeout';

/**
 * Readiness indicators. Each ping is bounded by HEALTH_CHECK_TIMEOUT_MS, and a failure reports only
 * "timed out" or "unreachable": host, port and driver text go to the log, never to the response.
 */
@Injectable()
export class DependencyHealth {
  constructor(
    private readonly indicators: HealthIndicatorService,
    private readonly prisma: PrismaService,
    @Inject(REDIS_CLIENT) private readonly redis: RedisClient,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
    @Optional() private readonly alerts?: AlertService,
  ) {
    this.logger.setContext(DependencyHealth.name);
  }

  async database(): Promise<HealthIndicatorResult> {
    return this.ping('database', () => this.prisma.$queryRaw`SELECT 1`);
  }

  async redisPing(): Promise<HealthIndicatorResult> {
    if (!this.redis) {
      return this.indicators.check('redis').up({ mode: 'in-memory' });
    }

    const redis = this.redis;

    return this.ping('redis', () => redis.ping());
  }

  private async ping(key: string, probe: () => Promise<unknown>): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);

    try {
      await withTimeout(probe(), this.config.healthCheckTimeoutMs);

      return indicator.up();
    } catch (error) {
      const reason = error instanceof TimeoutError ? 'timed out' : 'unreachable';

      this.logger.warn({ err: error, dependency: key }, 'Readiness check failed');
      this.alerts?.raise({
        kind: 'readiness_failed',
        message: `Readiness check failed: ${key} ${reason}`,
        fingerprint: `readiness:${key}`,
      });

      return indicator.down({ message: reason });
    }
  }
}
