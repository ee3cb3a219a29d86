import { ServiceUnavailableException } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerOptions, ThrottlerRequest } from '@nestjs/throttler';
import { THROTTLER_SKIP } from '@nestjs/throttler/dist/throttler.constants';
import type { FastifyReply } from 'fastify';

import { appendRateLimitFields } from './rate-limit-headers';
import { RATE_LIMIT_FAIL_CLOSED } from './rate-limit-policy.decorator';
import type { RateLimitStorage, ThrottlerStorageRecord } from './rate-limit-storage';

/** Retry-After of a fail-closed route while Redis is unreachable. */
const outageRetryAfterSeconds = 5;

/**
 * The @nestjs/throttler guard with this service's rules. Each guard has fixed named limits, and
 * each limit keeps one counter per client across all routes, so a client cannot multiply its
 * allowance by spreading requests. Responses carry the RateLimit fields and a plain Retry-After.
 * While Redis is unreachable, @RateLimitFailClosed() routes are rejected with 503.
 */
export abstract class RateLimitGuard extends ThrottlerGuard {
  protected constructor(
    throttlers: ThrottlerOptions[],
    private readonly rateLimitStorage: RateLimitStorage,
    private readonly keyPrefix: string,
    reflector: Reflector,
  ) {
    super({ throttlers }, rateLimitStorage, reflector);
    this.throttlers = throttlers;
    this.commonOptions = {
      getTracker: (request, context) => this.trackerFor(request, context),
      generateKey: (context, tracker, name) => this.generateKey(context, tracker, name),
    };
  }

  // The constructor configures the guard, so an instance Nest creates for @UseGuards without
  // running lifecycle hooks works the same as a registered provider.
  override async onModuleInit(): Promise<void> {}

  // A plain @SkipThrottle() marks only the throttler named "default", so it is read as "skip all".
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    const skipAll = this.reflector.getAllAndOverride<boolean | undefined>(
      `${THROTTLER_SKIP}default`,
      [context.getHandler(), context.getClass()],
    );

    return Promise.resolve(skipAll === true);
  }

  /** Returns who a hit is counted for; ThrottlerGuard's getTracker has no access to the route. */
  protected trackerFor(
    request: Record<string, unknown>,
    _context: ExecutionContext,
  ): Promise<string> {
    return this.getTracker(request);
  }

  protected override generateKey(
    _context: ExecutionContext,
    tracker: string,
    name: string,
  ): string {
    return `${this.keyPrefix}${name}:${tracker}`;
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    const { context, limit, ttl, throttler, blockDuration } = request;
    const name = throttler.name ?? 'default';
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const tracker = await request.getTracker(context.switchToHttp().getRequest(), context);
    const key = request.generateKey(context, tracker, name);
    const record = await this.count(context, reply, key, ttl, limit, blockDuration, name);
    const retryAfter = Math.max(1, record.timeToBlockExpire);

    appendRateLimitFields(reply, {
      name,
      limit,
      windowSeconds: Math.ceil(ttl / 1000),
      remaining: Math.max(0, limit - record.totalHits),
      resetSeconds: record.isBlocked ? retryAfter : Math.max(0, record.timeToExpire),
    });

    if (record.isBlocked) {
      void reply.header('Retry-After', String(retryAfter));

      throw new ThrottlerException(
        `Too many requests: retry after ${retryAfter} ${retryAfter === 1 ? 'second' : 'seconds'}`,
      );
    }

    return true;
  }

  private async count(
    context: ExecutionContext,
    reply: FastifyReply,
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    name: string,
  ): Promise<ThrottlerStorageRecord> {
    if (!this.isFailClosed(context)) {
      return this.rateLimitStorage.increment(key, ttl, limit, blockDuration, name);
    }

    const record = await this.rateLimitStorage.incrementFailClosed(
      key,
      ttl,
      limit,
      blockDuration,
      name,
    );

    if (!record) {
      void reply.header('Retry-After', String(outageRetryAfterSeconds));

      throw new ServiceUnavailableException(
        'Rate limiting is temporarily unavailable, retry later',
      );
    }

    return record;
  }

  private isFailClosed(context: ExecutionContext): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(RATE_LIMIT_FAIL_CLOSED, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }
}
