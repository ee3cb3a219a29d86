import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createTestApp } from './support/create-test-app';

describe('Health', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ env: { GIT_COMMIT: 'abc1234' } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('live reports version and commit', async () => {
    const response = await app.inject({ method: 'GET', url: '/health/live' });

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok', version: '0.1.0', commit: 'abc1234' });
  });

  it.each(['/health/ready', '/health'])('%s checks database and redis', async (url) => {
    const response = await app.inject({ method: 'GET', url });
    const body = response.json();

    expect(response.statusCode).toBe(200);
    expect(body.commit).toBe('abc1234');
    expect(body.checks.database.status).toBe('up');
    expect(body.checks.redis.status).toBe('up');
  });

  it('echoes a well-formed request id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'req-7f3a9c21b4' },
    });

    expect(response.headers['x-request-id']).toBe('req-7f3a9c21b4');
  });

  it('replaces a malformed request id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-request-id': 'bad id\u0007' },
    });

    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });
});
