import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';

import { RateLimiterHealth } from '../src/common/throttling/rate-limiter-health';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import { waitFor } from './support/private-redis';
import { RateLimitProbeModule } from './support/rate-limit-probe.module';
import { TcpProxy, throughProxy } from './support/tcp-proxy';
import { testRedisUrl } from './support/test-database';

const redisTimeoutMs = 120;
// Longer than the limiter's timeout and shorter than the Redis client's 500 ms commandTimeout, so
// only the limiter gives up on a reply.
const stallDelayMs = 300;
const ipLimit = 20;
const tenantLimit = 10;
const floodConcurrency = 10;

interface FloodRequest {
  url: string;
  remoteAddress: string;
  headers?: Record<string, string>;
}

function countOf(statuses: number[], status: number): number {
  return statuses.filter((code) => code === status).length;
}

/**
 * Sends `total` requests from `floodConcurrency` parallel callers and returns the statuses by
 * request index. `beforeRequest` runs just before request `index` is sent.
 */
async function flood(
  app: NestFastifyApplication,
  total: number,
  request: (index: number) => FloodRequest,
  beforeRequest: (index: number) => void = () => undefined,
): Promise<number[]> {
  const statuses: number[] = [];
  let next = 0;

  async function caller(): Promise<void> {
    while (next < total) {
      const index = next;

      next += 1;
      beforeRequest(index);

      const { url, remoteAddress, headers } = request(index);
      const response = await app.inject({ method: 'GET', url, remoteAddress, headers });

      statuses[index] = response.statusCode;
    }
  }

  await Promise.all(Array.from({ length: floodConcurrency }, caller));

  return statuses;
}

describe('Rate limiting when Redis stalls', () => {
  const proxy = new TcpProxy(Number(new URL(testRedisUrl).port || 6379));
  const keyPrefix = `stall-test:${randomUUID()}:`;
  const inspector = new Redis(testRedisUrl, { lazyConnect: true });
  let app: NestFastifyApplication;
  let health: RateLimiterHealth;

  function ipHitsKey(client: string): string {
    return `{${keyPrefix}ip-burst:${client}:ip-burst}:hits`;
  }

  async function open(client: string): Promise<number> {
    const response = await app.inject({
      method: 'GET',
      url: '/rate-limit-probe/open',
      remoteAddress: client,
    });

    return response.statusCode;
  }

  async function endStall(): Promise<void> {
    proxy.responseDelayMs = 0;
    await waitFor(async () => {
      await open('192.0.2.199');

      return !health.isDown();
    }, 'the rate limiter to use Redis again');
  }

  beforeAll(async () => {
    const port = await proxy.start();

    await inspector.connect();
    app = await createTestApp({
      imports: [RateLimitProbeModule],
      env: {
        REDIS_URL: throughProxy(testRedisUrl, port),
        RATE_LIMIT_KEY_PREFIX: keyPrefix,
        RATE_LIMIT_REDIS_TIMEOUT_MS: String(redisTimeoutMs),
        RATE_LIMIT_IP_BURST_LIMIT: String(ipLimit),
        RATE_LIMIT_IP_BURST_WINDOW_SECONDS: '600',
        RATE_LIMIT_TENANT_LIMIT: String(tenantLimit),
        RATE_LIMIT_TENANT_WINDOW_SECONDS: '600',
      },
    });
    health = app.get(RateLimiterHealth);
  });

  afterEach(async () => {
    await endStall();
  });

  afterAll(async () => {
    await app?.close();
    await proxy.cut();
    inspector.disconnect();
  });

  it('holds an exceeded IP limit through a stall mid-flood', async () => {
    const client = '192.0.2.90';
    const statuses = await flood(
      app,
      120,
      () => ({ url: '/rate-limit-probe/open', remoteAddress: client }),
      (index) => {
        if (index === 40) {
          proxy.responseDelayMs = stallDelayMs;
        }
      },
    );

    expect(health.isDown()).toBe(true);
    expect(countOf(statuses, 200)).toBe(ipLimit);
    expect(countOf(statuses, 429)).toBe(120 - ipLimit);
  });

  it('holds an exceeded tenant limit through a stall mid-flood', async () => {
    const tenant = await seedTenant();
    const statuses = await flood(
      app,
      60,
      // A client IP per request, so only the tenant limit applies.
      (index) => ({
        url: '/rate-limit-probe/tenant',
        remoteAddress: `198.51.100.${index + 1}`,
        headers: { 'x-api-key': tenant.apiKey },
      }),
      (index) => {
        if (index === 20) {
          proxy.responseDelayMs = stallDelayMs;
        }
      },
    );

    expect(health.isDown()).toBe(true);
    expect(countOf(statuses, 200)).toBe(tenantLimit);
    expect(countOf(statuses, 429)).toBe(60 - tenantLimit);
  });

  it('carries the count through a stall and back to Redis', async () => {
    const client = '192.0.2.91';
    const spent = 5;

    for (let i = 0; i < spent; i += 1) {
      expect(await open(client)).toBe(200);
    }

    proxy.responseDelayMs = stallDelayMs;

    const duringStall = await flood(app, 30, () => ({
      url: '/rate-limit-probe/open',
      remoteAddress: client,
    }));

    expect(health.isDown()).toBe(true);
    expect(countOf(duringStall, 200)).toBe(ipLimit - spent);

    await endStall();

    const redisHitsBefore = Number(await inspector.get(ipHitsKey(client)));

    // Redis saw only the requests that tried it, but this instance remembers all of them.
    expect(redisHitsBefore).toBeLessThan(ipLimit);
    expect(await open(client)).toBe(429);
    expect(Number(await inspector.get(ipHitsKey(client)))).toBe(redisHitsBefore + 1);
  });

  it('counts a new client in Redis after a stall', async () => {
    const client = '192.0.2.92';

    proxy.responseDelayMs = stallDelayMs;
    expect(await open(client)).toBe(200);
    expect(health.isDown()).toBe(true);

    await endStall();

    for (let i = 0; i < 3; i += 1) {
      expect(await open(client)).toBe(200);
    }

    // The first request timed out, but its command reached Redis before the reply was held back.
    expect(Number(await inspector.get(ipHitsKey(client)))).toBe(4);
  });
});
