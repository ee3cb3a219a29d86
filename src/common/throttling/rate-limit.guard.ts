import { ServiceUnavailableException } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ThrottlerException, ThrottlerGuard } from '@nestjs/throttler';
import type { Resolvable, ThrottlerOptions } from '@nestjs/throttler';
import {
  THROTTLER_BLOCK_DURATION,
  THROTTLER_LIMIT,
  THROTTLER_SKIP,
  THROTTLER_TTL,
} from '@nestjs/throttler/dist/throttler.constants';
import type { FastifyReply } from 'fastify';

import { appendRateLimitFields } from './rate-limit-headers';
import type { RateLimitState } from './rate-limit-headers';
import { RATE_LIMIT_FAIL_CLOSED } from './rate-limit-policy.decorator';
import type { RateLimitStorage, ThrottlerStorageRecord } from './rate-limit-storage';

/** Retry-After of a fail-closed route while Redis is unreachable. */
const outageRetryAfterSeconds = 5;

/** One limit of a guard, resolved for one request. */
interface CountedLimit {
  name: string;
  limit: number;
  ttl: number;
  blockDuration: number;
  key: string;
}

/** One limit's count for one request. */
interface LimitHit {
  state: RateLimitState;
  /** Seconds until the client may try again; 0 while the limit allows it. */
  retryAfterSeconds: number;
}

/**
 * The @nestjs/throttler guard with this service's rules. Each guard has fixed named limits, and
 * each limit keeps one counter per client across all routes, so a client cannot multiply its
 * allowance by spreading requests. Responses carry the RateLimit fields and a plain Retry-After.
 * While Redis is unreachable, @RateLimitFailClosed() routes are rejected with 503.
 *
 * A request is counted against all of the guard's limits at once, so it waits for one Redis round
 * trip instead of one per limit. Every limit counts it, even when another limit rejects it.
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
  }

  // The constructor configures the guard, so an instance Nest creates for @UseGuards without
  // running lifecycle hooks works the same as a registered provider.
  override async onModuleInit(): Promise<void> {}

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (await this.shouldSkip(context)) {
      return true;
    }

    const active = this.throttlers.filter((throttler) => !this.isSkipped(context, throttler));

    if (active.length === 0) {
      return true;
    }

    const request = context.switchToHttp().getRequest<Record<string, unknown>>();
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    const tracker = await this.trackerFor(request, context);
    const limits = await Promise.all(
      active.map((throttler) => this.limitFor(context, tracker, throttler)),
    );
    // Each count sends its Redis command before its first await, so all of them share one write.
    const failClosed = this.isFailClosed(context);
    const records = this.rateLimitStorage.inOneWrite(() =>
      limits.map((limit) => this.count(reply, limit, failClosed)),
    );
    const hits = (await Promise.all(records)).map((record, index) =>
      this.toHit(limits[index], record),
    );

    for (const hit of hits) {
      appendRateLimitFields(reply, hit.state);
    }

    // With several limits exceeded, the client has to wait for the one that reopens last.
    const retryAfter = Math.max(...hits.map((hit) => hit.retryAfterSeconds));

    if (retryAfter > 0) {
      void reply.header('Retry-After', String(retryAfter));

      throw new ThrottlerException(
        `Too many requests: retry after ${retryAfter} ${retryAfter === 1 ? 'second' : 'seconds'}`,
      );
    }

    return true;
  }

  // A plain @SkipThrottle() marks only the throttler named "default", so it is read as "skip all".
  protected override shouldSkip(context: ExecutionContext): Promise<boolean> {
    return Promise.resolve(this.isSkipped(context, { name: 'default' }));
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

  private async limitFor(
    context: ExecutionContext,
    tracker: string,
    throttler: ThrottlerOptions,
  ): Promise<CountedLimit> {
    const name = throttler.name ?? 'default';
    const limit = await this.setting(context, THROTTLER_LIMIT, name, throttler.limit);
    const ttl = await this.setting(context, THROTTLER_TTL, name, throttler.ttl);
    const blockDuration = await this.setting(
      context,
      THROTTLER_BLOCK_DURATION,
      name,
      throttler.blockDuration ?? ttl,
    );

    return { name, limit, ttl, blockDuration, key: this.generateKey(context, tracker, name) };
  }

  private toHit(counted: CountedLimit, record: ThrottlerStorageRecord): LimitHit {
    const retryAfter = Math.max(1, record.timeToBlockExpire);

    return {
      state: {
        name: counted.name,
        limit: counted.limit,
        windowSeconds: Math.ceil(counted.ttl / 1000),
        remaining: Math.max(0, counted.limit - record.totalHits),
        resetSeconds: record.isBlocked ? retryAfter : Math.max(0, record.timeToExpire),
      },
      retryAfterSeconds: record.isBlocked ? retryAfter : 0,
    };
  }

  /** Reads a limit's setting, letting a route's @Throttle() override the guard's own. */
  private async setting(
    context: ExecutionContext,
    metadataKey: string,
    name: string,
    fallback: Resolvable<number>,
  ): Promise<number> {
    const value =
      this.reflector.getAllAndOverride<Resolvable<number> | undefined>(`${metadataKey}${name}`, [
        context.getHandler(),
        context.getClass(),
      ]) ?? fallback;
    const resolved = typeof value === 'function' ? await value(context) : value;

    if (!Number.isFinite(resolved)) {
      throw new TypeError(
        `Invalid ${metadataKey} for the "${name}" rate limit: expected a number, got ${String(resolved)}`,
      );
    }

    return resolved;
  }

  private isSkipped(context: ExecutionContext, throttler: Pick<ThrottlerOptions, 'name'>): boolean {
    return (
      this.reflector.getAllAndOverride<boolean | undefined>(`${THROTTLER_SKIP}${throttler.name}`, [
        context.getHandler(),
        context.getClass(),
      ]) === true
    );
  }

  private async count(
    reply: FastifyReply,
    counted: CountedLimit,
    failClosed: boolean,
  ): Promise<ThrottlerStorageRecord> {
    const { key, ttl, limit, blockDuration, name } = counted;

    if (!failClosed) {
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
