import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';
import type Redis from 'ioredis';

import { RateLimiterHealth } from '../src/common/throttling/rate-limiter-health';
import type {
  RateLimiterOutage,
  RateLimiterRecovery,
} from '../src/common/throttling/rate-limiter-health';
import { REDIS_CLIENT } from '../src/redis/redis.module';
import { createTestApp } from './support/create-test-app';
import { PrivateRedis, waitFor } from './support/private-redis';
import { RateLimitProbeModule } from './support/rate-limit-probe.module';

// Long enough that a loaded test machine does not turn a slow reply into an outage.
const redisTimeoutMs = 120;
// The Redis client's own commandTimeout is 500 ms, so a request that waited on it would exceed this.
const boundMs = 450;
const keyPrefix = 'outage-test:';

interface TimedResponse {
  statusCode: number;
  elapsedMs: number;
  response: LightMyRequestResponse;
}

async function timedGet(
  app: NestFastifyApplication,
  url: string,
  remoteAddress: string,
): Promise<TimedResponse> {
  const started = performance.now();
  const response = await app.inject({ method: 'GET', url, remoteAddress });

  return { statusCode: response.statusCode, elapsedMs: performance.now() - started, response };
}

async function timedSeries(
  app: NestFastifyApplication,
  count: number,
  url: string,
  remoteAddress: string,
): Promise<TimedResponse[]> {
  const responses: TimedResponse[] = [];

  for (let i = 0; i < count; i += 1) {
    responses.push(await timedGet(app, url, remoteAddress));
  }

  return responses;
}

function slowest(responses: TimedResponse[]): number {
  return Math.max(...responses.map((response) => response.elapsedMs));
}

describe('Rate limiting while Redis is down', () => {
  const redis = new PrivateRedis(16383);
  let app: NestFastifyApplication;
  let health: RateLimiterHealth;
  const outages: RateLimiterOutage[] = [];
  const recoveries: RateLimiterRecovery[] = [];

  async function waitForRecovery(count: number, client: string): Promise<void> {
    await waitFor(async () => {
      await timedGet(app, '/rate-limit-probe/unlimited', client);
      await timedGet(app, '/rate-limit-probe/open', client);

      return recoveries.length >= count;
    }, 'the rate limiter to use Redis again');
  }

  beforeAll(async () => {
    await redis.start();
    app = await createTestApp({
      imports: [RateLimitProbeModule],
      env: {
        REDIS_URL: redis.url,
        RATE_LIMIT_KEY_PREFIX: keyPrefix,
        RATE_LIMIT_REDIS_TIMEOUT_MS: String(redisTimeoutMs),
        RATE_LIMIT_IP_BURST_LIMIT: '3',
        RATE_LIMIT_IP_BURST_WINDOW_SECONDS: '60',
      },
    });
    const client = app.get<Redis>(REDIS_CLIENT);

    await waitFor(() => Promise.resolve(client.status === 'ready'), 'the app to connect to Redis');
    health = app.get(RateLimiterHealth);
    health.onOutage((event) => outages.push(event));
    health.onRecovery((event) => recoveries.push(event));
  });

  afterAll(async () => {
    await app?.close();
    redis.resume();
    await redis.stop();
  });

  it('counts in Redis while it is up', async () => {
    const responses = await timedSeries(app, 4, '/rate-limit-probe/open', '192.0.2.50');

    expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 429]);
    expect(await redis.keys(`{${keyPrefix}ip-burst:192.0.2.50:*`)).toHaveLength(2);
    expect(outages).toHaveLength(0);
  });

  describe('stopped', () => {
    beforeAll(async () => {
      await redis.stop();
    });

    it('finishes every request within the bound', async () => {
      const responses = await timedSeries(app, 20, '/rate-limit-probe/open', '192.0.2.51');

      expect(slowest(responses)).toBeLessThan(boundMs);
    });

    it('limits per instance in memory', async () => {
      const responses = await timedSeries(app, 4, '/rate-limit-probe/open', '192.0.2.52');

      expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 429]);
      expect(responses[3].response.headers['retry-after']).toBeDefined();
    });

    it('rejects fail-closed routes with 503 and Retry-After', async () => {
      const { response, elapsedMs } = await timedGet(
        app,
        '/rate-limit-probe/fail-closed',
        '192.0.2.53',
      );

      expect(elapsedMs).toBeLessThan(boundMs);
      expect(response.statusCode).toBe(503);
      expect(response.headers['retry-after']).toBe('5');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'Rate limiting is temporarily unavailable, retry later',
        requestId: response.headers['x-request-id'],
      });
    });

    it('reports the outage once', () => {
      expect(outages).toHaveLength(1);
      expect(health.isDown()).toBe(true);
    });
  });

  describe('started again', () => {
    beforeAll(async () => {
      await redis.start();
      await waitForRecovery(1, '192.0.2.60');
    });

    it('reports the recovery once', () => {
      expect(recoveries).toHaveLength(1);
      expect(outages).toHaveLength(1);
      expect(health.isDown()).toBe(false);
    });

    it('counts in Redis again', async () => {
      const responses = await timedSeries(app, 4, '/rate-limit-probe/open', '192.0.2.61');

      expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 429]);
      expect(await redis.keys(`{${keyPrefix}ip-burst:192.0.2.61:*`)).toHaveLength(2);
    });

    it('serves fail-closed routes again', async () => {
      expect((await timedGet(app, '/rate-limit-probe/fail-closed', '192.0.2.62')).statusCode).toBe(
        200,
      );
    });
  });

  describe('not answering', () => {
    beforeAll(() => {
      redis.pause();
    });

    afterAll(async () => {
      redis.resume();
      await waitForRecovery(2, '192.0.2.80');
    });

    it('finishes every request within the bound', async () => {
      const responses = await timedSeries(app, 20, '/rate-limit-probe/open', '192.0.2.70');

      expect(slowest(responses)).toBeLessThan(boundMs);
      expect(outages).toHaveLength(2);
    });

    it('keeps limiting in memory', async () => {
      const responses = await timedSeries(app, 4, '/rate-limit-probe/open', '192.0.2.71');

      expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 200, 429]);
    });

    it('rejects fail-closed routes within the bound', async () => {
      const { statusCode, elapsedMs } = await timedGet(
        app,
        '/rate-limit-probe/fail-closed',
        '192.0.2.72',
      );

      expect(statusCode).toBe(503);
      expect(elapsedMs).toBeLessThan(boundMs);
    });

    it('probes Redis again after the probe interval, within the bound', async () => {
      await new Promise((resolve) => setTimeout(resolve, 1100));

      const responses = await timedSeries(app, 3, '/rate-limit-probe/open', '192.0.2.73');

      expect(responses.every((response) => response.statusCode === 200)).toBe(true);
      expect(slowest(responses)).toBeGreaterThanOrEqual(redisTimeoutMs - 5);
      expect(slowest(responses)).toBeLessThan(boundMs);
    });
  });
});
