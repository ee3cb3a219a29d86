import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createTestApp } from './support/create-test-app';
import { RateLimitProbeModule } from './support/rate-limit-probe.module';

const limitEnv = {
  RATE_LIMIT_IP_BURST_LIMIT: '3',
  RATE_LIMIT_IP_BURST_WINDOW_SECONDS: '60',
};

/** The socket peer address of the reverse proxy (Coolify's Traefik). */
const proxy = '10.0.1.2';

async function status(
  app: NestFastifyApplication,
  remoteAddress: string,
  forwardedFor?: string,
): Promise<number> {
  const response = await app.inject({
    method: 'GET',
    url: '/rate-limit-probe/open',
    remoteAddress,
    headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor },
  });

  return response.statusCode;
}

async function exhaust(
  app: NestFastifyApplication,
  remoteAddress: string,
  forwardedFor: string,
): Promise<void> {
  for (let i = 0; i < 3; i += 1) {
    expect(await status(app, remoteAddress, forwardedFor)).toBe(200);
  }

  expect(await status(app, remoteAddress, forwardedFor)).toBe(429);
}

describe('Rate limiting behind a proxy', () => {
  describe('with one trusted hop', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp({
        imports: [RateLimitProbeModule],
        env: { ...limitEnv, TRUSTED_PROXY_HOPS: '1' },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('gives a spoofed X-Forwarded-For prefix no fresh bucket', async () => {
      const client = '203.0.113.20';

      await exhaust(app, proxy, client);

      // The client sends its own X-Forwarded-For; the proxy appends the address it saw.
      for (const spoofed of ['198.51.100.1', '198.51.100.2, 198.51.100.3', 'not-an-ip', '']) {
        expect(await status(app, proxy, `${spoofed}, ${client}`)).toBe(429);
      }
    });

    it('keeps two clients behind the proxy in separate buckets', async () => {
      await exhaust(app, proxy, '203.0.113.21');

      expect(await status(app, proxy, '203.0.113.22')).toBe(200);
    });

    it('does not put the proxy itself in the clients bucket', async () => {
      await exhaust(app, proxy, '203.0.113.23');

      expect(await status(app, proxy)).toBe(200);
    });

    it('counts IPv6 clients per /64 network', async () => {
      await exhaust(app, proxy, '2001:db8:1:1::1');

      expect(await status(app, proxy, '2001:db8:1:1::2')).toBe(429);
      expect(await status(app, proxy, '2001:db8:1:2::1')).toBe(200);
    });
  });

  describe('with two trusted hops', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp({
        imports: [RateLimitProbeModule],
        env: { ...limitEnv, TRUSTED_PROXY_HOPS: '2' },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('takes the address the outer proxy saw', async () => {
      const client = '203.0.113.30';
      const outerProxy = '192.0.2.200';

      await exhaust(app, proxy, `${client}, ${outerProxy}`);

      expect(await status(app, proxy, `198.51.100.9, ${client}, ${outerProxy}`)).toBe(429);
      expect(await status(app, proxy, `203.0.113.31, ${outerProxy}`)).toBe(200);
    });
  });

  describe('with no trusted hops', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp({
        imports: [RateLimitProbeModule],
        env: { ...limitEnv, TRUSTED_PROXY_HOPS: '0' },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('uses the socket address and ignores X-Forwarded-For', async () => {
      const socket = '203.0.113.40';

      expect(await status(app, socket, '198.51.100.1')).toBe(200);
      expect(await status(app, socket, '198.51.100.2')).toBe(200);
      expect(await status(app, socket)).toBe(200);
      expect(await status(app, socket, '198.51.100.3')).toBe(429);
      expect(await status(app, '203.0.113.41', '198.51.100.3')).toBe(200);
    });
  });
});
