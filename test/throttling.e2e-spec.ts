import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';

import { inboundPayload, postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { appQuerySnapshot, settledQuerySnapshot } from './support/database-activity';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { RateLimitProbeModule } from './support/rate-limit-probe.module';

async function get(
  app: NestFastifyApplication,
  url: string,
  remoteAddress: string,
  headers: Record<string, string> = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, remoteAddress, headers });
}

async function statuses(
  app: NestFastifyApplication,
  count: number,
  url: string,
  remoteAddress: string,
  headers: Record<string, string> = {},
): Promise<number[]> {
  const result: number[] = [];

  for (let i = 0; i < count; i += 1) {
    result.push((await get(app, url, remoteAddress, headers)).statusCode);
  }

  return result;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('Rate limiting', () => {
  describe('per client IP', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp({
        imports: [RateLimitProbeModule],
        env: {
          RATE_LIMIT_IP_BURST_LIMIT: '3',
          RATE_LIMIT_IP_BURST_WINDOW_SECONDS: '1',
          RATE_LIMIT_IP_SUSTAINED_LIMIT: '5',
          RATE_LIMIT_IP_SUSTAINED_WINDOW_SECONDS: '30',
        },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('rejects the request after the burst limit', async () => {
      expect(await statuses(app, 4, '/rate-limit-probe/open', '192.0.2.1')).toEqual([
        200, 200, 200, 429,
      ]);
    });

    it('rejects past the sustained limit once the burst window passes', async () => {
      const client = '192.0.2.2';

      expect(await statuses(app, 3, '/rate-limit-probe/open', client)).toEqual([200, 200, 200]);
      await sleep(1100);
      expect(await statuses(app, 2, '/rate-limit-probe/open', client)).toEqual([200, 200]);
      await sleep(1100);

      const rejected = await get(app, '/rate-limit-probe/open', client);

      expect(rejected.statusCode).toBe(429);
      expect(rejected.headers['ratelimit']).toContain('"ip-sustained";r=0;t=');
      expect(Number(rejected.headers['retry-after'])).toBeGreaterThan(20);
      expect(Number(rejected.headers['retry-after'])).toBeLessThanOrEqual(30);
    });

    it('asks a client over both limits to wait for the longer one', async () => {
      const client = '192.0.2.30';

      expect(await statuses(app, 3, '/rate-limit-probe/open', client)).toEqual([200, 200, 200]);
      await sleep(1100);
      expect(await statuses(app, 4, '/rate-limit-probe/open', client)).toEqual([
        200, 200, 429, 429,
      ]);

      const rejected = await get(app, '/rate-limit-probe/open', client);

      expect(rejected.statusCode).toBe(429);
      expect(rejected.headers['ratelimit']).toMatch(/^"ip-burst";r=0;t=1, "ip-sustained";r=0;t=/);
      expect(Number(rejected.headers['retry-after'])).toBeGreaterThan(20);
      expect(rejected.json()).toMatchObject({
        message: `Too many requests: retry after ${rejected.headers['retry-after']} seconds`,
      });
    });

    it('counts every route and every status in one bucket per IP', async () => {
      const client = '192.0.2.3';

      expect((await get(app, '/rate-limit-probe/open', client)).statusCode).toBe(200);
      expect((await get(app, '/rate-limit-probe/tenant', client)).statusCode).toBe(401);
      expect((await get(app, '/rate-limit-probe/fail-closed', client)).statusCode).toBe(200);
      expect((await get(app, '/rate-limit-probe/tenant', client)).statusCode).toBe(429);
    });

    it('sends the RateLimit fields on allowed requests', async () => {
      const response = await get(app, '/rate-limit-probe/open', '192.0.2.4');

      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-policy']).toBe(
        '"ip-burst";q=3;w=1, "ip-sustained";q=5;w=30',
      );
      expect(response.headers['ratelimit']).toBe('"ip-burst";r=2;t=1, "ip-sustained";r=4;t=30');
      expect(response.headers['retry-after']).toBeUndefined();
    });

    it('answers 429 with Retry-After, RateLimit fields and the standard body', async () => {
      const client = '192.0.2.5';

      await statuses(app, 3, '/rate-limit-probe/open', client);
      const response = await get(app, '/rate-limit-probe/open', client);
      const body = response.json();

      expect(response.statusCode).toBe(429);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.headers['ratelimit-policy']).toBe(
        '"ip-burst";q=3;w=1, "ip-sustained";q=5;w=30',
      );
      expect(response.headers['ratelimit']).toBe('"ip-burst";r=0;t=1, "ip-sustained";r=1;t=30');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(body).toEqual({
        statusCode: 429,
        error: 'Too Many Requests',
        message: 'Too many requests: retry after 1 second',
        requestId: response.headers['x-request-id'],
      });
    });

    it('allows requests again after the window', async () => {
      const client = '192.0.2.6';

      expect(await statuses(app, 4, '/rate-limit-probe/open', client)).toEqual([
        200, 200, 200, 429,
      ]);
      await sleep(1100);
      expect((await get(app, '/rate-limit-probe/open', client)).statusCode).toBe(200);
    });

    it('never limits health routes', async () => {
      const client = '192.0.2.7';
      const live = await statuses(app, 20, '/health/live', client);
      const probe = await get(app, '/health', client);

      expect(live.every((status) => status === 200)).toBe(true);
      expect(probe.statusCode).toBe(200);
      expect(probe.headers['ratelimit']).toBeUndefined();
      expect((await get(app, '/rate-limit-probe/open', client)).statusCode).toBe(200);
    });

    it('never limits a route marked @SkipThrottle()', async () => {
      const unlimited = await statuses(app, 10, '/rate-limit-probe/unlimited', '192.0.2.8');

      expect(unlimited.every((status) => status === 200)).toBe(true);
    });
  });

  describe('per tenant', () => {
    let app: NestFastifyApplication;
    let first: SeededTenant;
    let second: SeededTenant;

    beforeAll(async () => {
      app = await createTestApp({
        imports: [RateLimitProbeModule],
        env: { RATE_LIMIT_TENANT_LIMIT: '2', RATE_LIMIT_TENANT_WINDOW_SECONDS: '30' },
      });
      [first, second] = await Promise.all([seedTenant(), seedTenant()]);
    });

    afterAll(async () => {
      await app.close();
    });

    it('limits a tenant across client IPs', async () => {
      const key = { 'x-api-key': first.apiKey };
      const responses = [
        await get(app, '/rate-limit-probe/tenant', '198.51.100.1', key),
        await get(app, '/rate-limit-probe/tenant', '198.51.100.2', key),
        await get(app, '/rate-limit-probe/tenant', '198.51.100.3', key),
      ];

      expect(responses.map((response) => response.statusCode)).toEqual([200, 200, 429]);
      expect(responses[2].headers['ratelimit']).toContain('"tenant";r=0;t=');
      expect(Number(responses[2].headers['retry-after'])).toBeGreaterThan(20);
    });

    it('keeps another tenant on the same IP unaffected', async () => {
      const key = { 'x-api-key': second.apiKey };

      expect(await statuses(app, 2, '/rate-limit-probe/tenant', '198.51.100.3', key)).toEqual([
        200, 200,
      ]);
    });

    it('advertises the tenant policy next to the IP policies', async () => {
      const tenant = await seedTenant();
      const response = await get(app, '/rate-limit-probe/tenant', '198.51.100.4', {
        'x-api-key': tenant.apiKey,
      });

      expect(response.statusCode).toBe(200);
      expect(response.headers['ratelimit-policy']).toContain('"tenant";q=2;w=30');
      expect(response.headers['ratelimit']).toContain('"tenant";r=1;t=30');
    });

    it('keeps dashboard reads from using up the webhook allowance', async () => {
      const tenant = await seedTenant();
      const key = { authorization: `Bearer ${tenant.readKey}` };
      const reads = await statuses(app, 3, '/v1/pipelines', '198.51.100.6', key);
      const first = await postSigned(
        app,
        tenant.webhookSecret,
        inboundPayload(tenant.receivingNumber),
      );
      const second = await postSigned(
        app,
        tenant.webhookSecret,
        inboundPayload(tenant.receivingNumber),
      );
      const third = await postSigned(
        app,
        tenant.webhookSecret,
        inboundPayload(tenant.receivingNumber),
      );

      expect(reads).toEqual([200, 200, 429]);
      expect([first.statusCode, second.statusCode, third.statusCode]).toEqual([200, 200, 429]);
    });

    it('does not apply the tenant limit to failed authentication', async () => {
      const rejected = await statuses(app, 4, '/rate-limit-probe/tenant', '198.51.100.5', {
        'x-api-key': 'aias_wrong',
      });

      expect(rejected).toEqual([401, 401, 401, 401]);
    });
  });

  describe('before the database', () => {
    let app: NestFastifyApplication;
    let tenant: SeededTenant;

    beforeAll(async () => {
      app = await createTestApp({
        imports: [RateLimitProbeModule],
        env: { RATE_LIMIT_IP_BURST_LIMIT: '2', RATE_LIMIT_IP_BURST_WINDOW_SECONDS: '60' },
      });
      tenant = await seedTenant();
    });

    afterAll(async () => {
      await app.close();
    });

    it('rejects with 429 without running a query', async () => {
      const key = { 'x-api-key': tenant.apiKey };
      const client = '203.0.113.10';

      expect(await statuses(app, 2, '/rate-limit-probe/tenant', client, key)).toEqual([200, 200]);

      const before = await settledQuerySnapshot();

      expect(before.length).toBeGreaterThan(0);
      expect(await statuses(app, 5, '/rate-limit-probe/tenant', client, key)).toEqual([
        429, 429, 429, 429, 429,
      ]);
      await sleep(300);
      expect(await appQuerySnapshot()).toEqual(before);

      // The same request from another client passes and does show up, so the check can fail.
      expect((await get(app, '/rate-limit-probe/tenant', '203.0.113.11', key)).statusCode).toBe(
        200,
      );
      expect(await appQuerySnapshot()).not.toEqual(before);
    });
  });

  describe('without Redis', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp({
        imports: [RateLimitProbeModule],
        env: { REDIS_URL: undefined, RATE_LIMIT_IP_BURST_LIMIT: '2' },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('limits in memory', async () => {
      expect(await statuses(app, 3, '/rate-limit-probe/open', '192.0.2.20')).toEqual([
        200, 200, 429,
      ]);
    });

    it('serves fail-closed routes from memory', async () => {
      expect((await get(app, '/rate-limit-probe/fail-closed', '192.0.2.21')).statusCode).toBe(200);
    });
  });
});
