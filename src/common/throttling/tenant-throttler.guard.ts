import { Inject, Injectable, SetMetadata, UseGuards } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitStorage } from './rate-limit-storage';
import { tenantThrottlers } from './throttler-names';

const TENANT_RATE_LIMIT_BUCKET = 'aias:tenant-rate-limit-bucket';

/**
 * Gives the routes of a controller or handler their own per-tenant count, with the same limit, so
 * traffic on them cannot use up the tenant's allowance for the routes without a bucket (the
 * webhooks that bring in customers' messages).
 */
export const TenantRateLimitBucket = (bucket: string): ClassDecorator & MethodDecorator =>
  SetMetadata(TENANT_RATE_LIMIT_BUCKET, bucket);

export class TenantThrottlerOrderError extends Error {
  override readonly name = 'TenantThrottlerOrderError';
}

/**
 * The per-tenant limit, keyed by request.tenant.tenantId. It must run after the route's
 * authentication guard, which sets request.tenant: use @UseTenantRateLimit(AuthGuard) or list it
 * second, as in @UseGuards(ApiKeyGuard, TenantThrottlerGuard).
 */
@Injectable()
export class TenantThrottlerGuard extends RateLimitGuard {
  // Every parameter names its token: ThrottlerGuard's own @Inject metadata is inherited and would
  // otherwise replace the first two.
  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(RateLimitStorage) storage: RateLimitStorage,
    @Inject(Reflector) reflector: Reflector,
  ) {
    super(tenantThrottlers(config.rateLimit), storage, config.rateLimit.keyPrefix, reflector);
  }

  protected override trackerFor(
    request: Record<string, unknown>,
    context: ExecutionContext,
  ): Promise<string> {
    const tenant = (request as unknown as FastifyRequest).tenant;

    if (!tenant) {
      const error = new TenantThrottlerOrderError(
        'TenantThrottlerGuard ran before authentication: list it after the authentication guard, as in @UseGuards(ApiKeyGuard, TenantThrottlerGuard)',
      );

      return Promise.reject(error);
    }

    const bucket = this.reflector.getAllAndOverride<string | undefined>(TENANT_RATE_LIMIT_BUCKET, [
      context.getHandler(),
      context.getClass(),
    ]);

    return Promise.resolve(bucket ? `${tenant.tenantId}:${bucket}` : tenant.tenantId);
  }
}

type GuardType = CanActivate | (new (...args: never[]) => CanActivate);

/** Authenticates with the given guards, in order, then applies the per-tenant limit. */
export const UseTenantRateLimit = (
  ...authenticationGuards: GuardType[]
): ClassDecorator & MethodDecorator => UseGuards(...authenticationGuards, TenantThrottlerGuard);
