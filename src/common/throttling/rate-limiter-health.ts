import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

export interface RateLimiterOutage {
  startedAt: Date;
  /** The error that started the outage, as its message only. */
  reason: string;
}

export interface RateLimiterRecovery {
  startedAt: Date;
  endedAt: Date;
}

type Listener<T> = (event: T) => void;

/**
 * Tracks whether the shared rate-limit store (Redis) is reachable. It logs one error when an
 * outage starts and one info line when it ends, however many requests fail in between. The
 * listeners registered with onOutage and onRecovery run once per transition, so an alerts module
 * can subscribe without polling. They run synchronously on the request that noticed the change,
 * so they should be short and hand slow work (a Telegram message) to a queue.
 */
@Injectable()
export class RateLimiterHealth {
  private outageStartedAt?: Date;
  private readonly outageListeners = new Set<Listener<RateLimiterOutage>>();
  private readonly recoveryListeners = new Set<Listener<RateLimiterRecovery>>();

  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(RateLimiterHealth.name);
  }

  isDown(): boolean {
    return this.outageStartedAt !== undefined;
  }

  /** Registers a listener for the start of each outage; returns a function that removes it. */
  onOutage(listener: Listener<RateLimiterOutage>): () => void {
    this.outageListeners.add(listener);

    return () => this.outageListeners.delete(listener);
  }

  /** Registers a listener for the end of each outage; returns a function that removes it. */
  onRecovery(listener: Listener<RateLimiterRecovery>): () => void {
    this.recoveryListeners.add(listener);

    return () => this.recoveryListeners.delete(listener);
  }

  recordFailure(error: unknown): void {
    if (this.outageStartedAt) {
      return;
    }

    const startedAt = new Date();
    const reason = error instanceof Error ? error.message : String(error);

    this.outageStartedAt = startedAt;
    this.logger.error(
      { err: error },
      'Redis is unavailable for rate limiting: limits now count per instance in memory, and fail-closed routes return 503',
    );
    this.notify(this.outageListeners, { startedAt, reason });
  }

  recordSuccess(): void {
    const startedAt = this.outageStartedAt;

    if (!startedAt) {
      return;
    }

    const endedAt = new Date();

    this.outageStartedAt = undefined;
    this.logger.info(
      { outageMs: endedAt.getTime() - startedAt.getTime() },
      'Redis is available again for rate limiting: limits are shared across instances again',
    );
    this.notify(this.recoveryListeners, { startedAt, endedAt });
  }

  private notify<T>(listeners: Set<Listener<T>>, event: T): void {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        this.logger.warn({ err: error }, 'Rate limiter outage listener failed');
      }
    }
  }
}
