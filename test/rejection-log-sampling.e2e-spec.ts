import { setTimeout as sleep } from 'node:timers/promises';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { inboundPayload, postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { LogCapture } from './support/log-capture';

const intervalMs = 1500;

function requestLines(logs: LogCapture, from: number, statusCode: number) {
  return logs.lines
    .slice(from)
    .filter((line) => (line.res as { statusCode?: number } | undefined)?.statusCode === statusCode);
}

describe('Request lines of rejected requests', () => {
  let tenant: SeededTenant;

  beforeAll(async () => {
    tenant = await seedTenant();
  });

  describe(`with LOG_REJECTION_SAMPLE_MS=${intervalMs}`, () => {
    let app: NestFastifyApplication;
    const logs = new LogCapture();

    beforeAll(async () => {
      app = await createTestApp({
        logDestination: logs,
        env: { LOG_LEVEL: 'info', LOG_REJECTION_SAMPLE_MS: String(intervalMs) },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('samples 401 lines per interval', async () => {
      const forge = () => postSigned(app, 'whsec_forged', inboundPayload(tenant.receivingNumber));
      const start = logs.lines.length;

      const flood = await Promise.all(Array.from({ length: 10 }, forge));
      const accepted = await Promise.all(
        [1, 2].map(() =>
          postSigned(app, tenant.webhookSecret, inboundPayload(tenant.receivingNumber)),
        ),
      );

      await sleep(intervalMs + 100);
      const afterInterval = logs.lines.length;

      await forge();

      expect(flood.map((response) => response.statusCode)).toEqual(Array(10).fill(401));
      expect(accepted.map((response) => response.statusCode)).toEqual([200, 200]);
      expect(requestLines(logs, start, 401).slice(0, 1)).toEqual([
        expect.not.objectContaining({ skippedRejections: expect.anything() }),
      ]);
      expect(requestLines(logs, start, 200)).toHaveLength(2);
      expect(requestLines(logs, afterInterval, 401)).toEqual([
        expect.objectContaining({ skippedRejections: 9 }),
      ]);
      expect(requestLines(logs, start, 401)).toHaveLength(2);
    });
  });

  describe('with LOG_REJECTION_SAMPLE_MS=0', () => {
    let app: NestFastifyApplication;
    const logs = new LogCapture();

    beforeAll(async () => {
      app = await createTestApp({
        logDestination: logs,
        env: { LOG_LEVEL: 'info', LOG_REJECTION_SAMPLE_MS: '0' },
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('logs every 401', async () => {
      const start = logs.lines.length;

      await Promise.all(
        Array.from({ length: 5 }, () =>
          postSigned(app, 'whsec_forged', inboundPayload(tenant.receivingNumber)),
        ),
      );

      expect(requestLines(logs, start, 401)).toHaveLength(5);
    });
  });
});
