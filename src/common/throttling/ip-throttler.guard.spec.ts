import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { SkipThrottle, Throttle } from '@nestjs/throttler';

import { loadConfig } from '../../config/load-config';
import { IpThrottlerGuard } from './ip-throttler.guard';
import type { RateLimitStorage, ThrottlerStorageRecord } from './rate-limit-storage';

@Controller()
class ProbeController {
  @Get()
  open(): void {}

  @SkipThrottle({ 'ip-sustained': true })
  @Get()
  burstOnly(): void {}

  @Throttle({ 'ip-burst': { limit: 1, ttl: 5000 } })
  @Get()
  strict(): void {}
}

interface PendingHit {
  key: string;
  ttl: number;
  limit: number;
  /** Which call of inOneWrite the count was sent in; undefined outside any. */
  write?: number;
  resolve: (record: ThrottlerStorageRecord) => void;
}

/** Creates a storage whose counts stay pending until the test resolves them. */
function pendingStorage(): { storage: RateLimitStorage; hits: PendingHit[] } {
  const hits: PendingHit[] = [];
  let writes = 0;
  let write: number | undefined;
  const increment = (key: string, ttl: number, limit: number): Promise<ThrottlerStorageRecord> =>
    new Promise((resolve) => hits.push({ key, ttl, limit, write, resolve }));
  const inOneWrite = <T>(start: () => T): T => {
    writes += 1;
    write = writes;

    try {
      return start();
    } finally {
      write = undefined;
    }
  };

  return { storage: { increment, inOneWrite } as unknown as RateLimitStorage, hits };
}

function context(handler: () => void): ExecutionContextHost {
  const headers: Record<string, string> = {};
  const reply = {
    getHeader: (name: string) => headers[name.toLowerCase()],
    header: (name: string, value: string) => (headers[name.toLowerCase()] = value),
  };
  const host = new ExecutionContextHost(
    [{ ip: '198.51.100.7', headers: {} }, reply],
    ProbeController,
    handler,
  );

  host.setType('http');

  return host;
}

const allowed = (totalHits: number): ThrottlerStorageRecord => ({
  totalHits,
  timeToExpire: 10,
  isBlocked: false,
  timeToBlockExpire: 0,
});

const flushPromises = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe(IpThrottlerGuard.name, () => {
  const config = loadConfig({});

  it('counts every limit before waiting for any of them', async () => {
    const { storage, hits } = pendingStorage();
    const guard = new IpThrottlerGuard(config, storage, new Reflector());
    const decision = guard.canActivate(context(ProbeController.prototype.open));

    await flushPromises();

    expect(hits.map((hit) => hit.key)).toEqual([
      `${config.rateLimit.keyPrefix}ip-burst:198.51.100.7`,
      `${config.rateLimit.keyPrefix}ip-sustained:198.51.100.7`,
    ]);

    hits.forEach((hit) => hit.resolve(allowed(1)));
    await expect(decision).resolves.toBe(true);
  });

  it('sends every count in one write', async () => {
    const { storage, hits } = pendingStorage();
    const guard = new IpThrottlerGuard(config, storage, new Reflector());
    const decision = guard.canActivate(context(ProbeController.prototype.open));

    await flushPromises();
    hits.forEach((hit) => hit.resolve(allowed(1)));

    await expect(decision).resolves.toBe(true);
    expect(hits.map((hit) => hit.write)).toEqual([1, 1]);
  });

  it('leaves out a limit the route skips', async () => {
    const { storage, hits } = pendingStorage();
    const guard = new IpThrottlerGuard(config, storage, new Reflector());
    const decision = guard.canActivate(context(ProbeController.prototype.burstOnly));

    await flushPromises();
    hits.forEach((hit) => hit.resolve(allowed(1)));

    await expect(decision).resolves.toBe(true);
    expect(hits.map((hit) => hit.key)).toEqual([
      `${config.rateLimit.keyPrefix}ip-burst:198.51.100.7`,
    ]);
  });

  it("compares against a route's own limit and window", async () => {
    const { storage, hits } = pendingStorage();
    const guard = new IpThrottlerGuard(config, storage, new Reflector());
    const decision = guard.canActivate(context(ProbeController.prototype.strict));

    await flushPromises();
    hits.forEach((hit) => hit.resolve(allowed(1)));

    await expect(decision).resolves.toBe(true);
    expect(hits.map(({ limit, ttl }) => ({ limit, ttl }))).toEqual([
      { limit: 1, ttl: 5000 },
      {
        limit: config.rateLimit.ipSustained.limit,
        ttl: config.rateLimit.ipSustained.windowSeconds * 1000,
      },
    ]);
  });
});
