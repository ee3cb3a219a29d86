import { Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitStorage } from './rate-limit-storage';
import { ipThrottlers } from './throttler-names';

/**
 * The global guard: the burst and sustained limits per client IP on every route, before any
 * route guard authenticates. The client IP is request.ip, which Fastify derives from
 * X-Forwarded-For only across TRUSTED_PROXY_HOPS proxies; IPv6 clients count per /64 network.
 */
@Injectable()
export class IpThrottlerGuard extends RateLimitGuard {
  // Every parameter names its token: ThrottlerGuard's own @Inject metadata is inherited and would
  // otherwise replace the first two.
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(RateLimitStorage) storage: RateLimitStorage,
    @Inject(Reflector) reflector: Reflector,
  ) {
    super(ipThrottlers(config.rateLimit), storage, config.rateLimit.keyPrefix, reflector);
  }
}
