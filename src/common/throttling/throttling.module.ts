import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';

import { IpThrottlerGuard } from './ip-throttler.guard';
import { RateLimitStorage } from './rate-limit-storage';
import { RateLimiterHealth } from './rate-limiter-health';
import { TenantThrottlerGuard } from './tenant-throttler.guard';

/**
 * Rate limiting for every route: the per-IP limits as a global guard, and TenantThrottlerGuard for
 * modules that import this one and apply it after their authentication guard.
 */
@Module({
  providers: [
    RateLimiterHealth,
    RateLimitStorage,
    TenantThrottlerGuard,
    { provide: APP_GUARD, useClass: IpThrottlerGuard },
  ],
  exports: [RateLimiterHealth, RateLimitStorage, TenantThrottlerGuard],
})
export class ThrottlingModule {}
