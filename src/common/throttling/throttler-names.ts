import type { ThrottlerOptions } from '@nestjs/throttler';

import type { RateLimitConfig, RateLimitWindow } from '../../config/app-config';

/** Names of the limits, used in Redis keys, in the RateLimit fields and in @SkipThrottle({ name: true }). */
export const IP_BURST = 'ip-burst';
export const IP_SUSTAINED = 'ip-sustained';
export const TENANT = 'tenant';

function throttler(name: string, window: RateLimitWindow): ThrottlerOptions {
  return { name, limit: window.limit, ttl: window.windowSeconds * 1000 };
}

/** Builds the per-client-IP limits, shortest window first, checked on every route before authentication. */
export function ipThrottlers(config: RateLimitConfig): ThrottlerOptions[] {
  return [throttler(IP_BURST, config.ipBurst), throttler(IP_SUSTAINED, config.ipSustained)];
}

export function tenantThrottlers(config: RateLimitConfig): ThrottlerOptions[] {
  return [throttler(TENANT, config.tenant)];
}
