import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import { TcpProxy, throughProxy } from './support/tcp-proxy';
import { appDatabaseUrl, testRedisUrl } from './support/test-database';

async function timedReadiness(
  app: NestFastifyApplication,
): Promise<{ status: number; ms: number; body: string }> {
  const started = Date.now();
  const response = await app.inject({ method: 'GET', url: '/health/ready' });

  return { status: response.statusCode, ms: Date.now() - started, body: response.body };
}

async function eventually(check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    if (await check()) {
      return true;
    }

    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  return false;
}

describe('Readiness during outages', () => {
  const postgresProxy = new TcpProxy(Number(new URL(appDatabaseUrl).port || 5432));
  const redisProxy = new TcpProxy(Number(new URL(testRedisUrl).port || 6379));
  let app: NestFastifyApplication;

  beforeAll(async () => {
    const postgresPort = await postgresProxy.start();
    const redisPort = await redisProxy.start();

    app = await createTestApp({
      env: {
        DATABASE_URL: throughProxy(appDatabaseUrl, postgresPort),
        REDIS_URL: throughProxy(testRedisUrl, redisPort),
        DATABASE_QUERY_TIMEOUT_MS: '1000',
      },
    });
  });

  afterAll(async () => {
    await app.close();
    await postgresProxy.cut();
    await redisProxy.cut();
  });

  it('answers 200 while both dependencies are up', async () => {
    expect((await timedReadiness(app)).status).toBe(200);
  });

  it('answers 503 within 2 s when PostgreSQL goes away, then recovers', async () => {
    await postgresProxy.cut();

    const down = await timedReadiness(app);

    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(2000);
    expect(JSON.parse(down.body).checks.database.status).toBe('down');
    expect(down.body).not.toMatch(/127\.0\.0\.1|5432|ECONNREFUSED|prisma|pg/i);

    await postgresProxy.restore();

    expect(await eventually(async () => (await timedReadiness(app)).status === 200, 10000)).toBe(
      true,
    );
  });

  it('answers 503 within 2 s when Redis goes away, then recovers', async () => {
    await redisProxy.cut();

    const down = await timedReadiness(app);

    expect(down.status).toBe(503);
    expect(down.ms).toBeLessThan(2000);
    expect(JSON.parse(down.body).checks.redis.status).toBe('down');
    expect(down.body).not.toMatch(/127\.0\.0\.1|6379|ECONNREFUSED|ioredis/i);

    await redisProxy.restore();

    expect(await eventually(async () => (await timedReadiness(app)).status === 200, 10000)).toBe(
      true,
    );
  });

  it('liveness stays 200 while dependencies are down', async () => {
    await postgresProxy.cut();
    await redisProxy.cut();

    const response = await app.inject({ method: 'GET', url: '/health/live' });

    await postgresProxy.restore();
    await redisProxy.restore();

    expect(response.statusCode).toBe(200);
  });

  it('answers a bounded 503 while PostgreSQL is frozen', async () => {
    const tenant = await seedTenant();

    postgresProxy.responseDelayMs = 60_000;

    const started = Date.now();
    const response = await app.inject({
      method: 'GET',
      url: '/v1/pipelines',
      headers: { authorization: `Bearer ${tenant.readKey}` },
    });
    const elapsedMs = Date.now() - started;

    postgresProxy.responseDelayMs = 0;
    await postgresProxy.cut();
    await postgresProxy.restore();

    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    // Bounded by the 1 s query timeout on an open connection, or the 5 s connect timeout on a new one.
    expect(elapsedMs).toBeLessThan(7000);
    expect(response.body).not.toMatch(/timeout|prisma|SELECT/i);
  });
});
