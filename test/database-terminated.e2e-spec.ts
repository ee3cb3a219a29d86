import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';

import { inboundPayload, postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { holdInboxKey, lockWaiters } from './support/inbox-lock';
import { LogCapture } from './support/log-capture';
import { connectAs, superuserDatabaseUrl } from './support/test-database';

describe('A query whose connection is terminated', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;
  let admin: Client;
  const logs = new LogCapture();

  beforeAll(async () => {
    tenant = await seedTenant();
    app = await createTestApp({ logDestination: logs, env: { LOG_LEVEL: 'info' } });
    admin = await connectAs(superuserDatabaseUrl);
  });

  afterAll(async () => {
    await admin.end();
    await app.close();
  });

  it('returns 503 and stores the redelivery', async () => {
    const payload = inboundPayload(tenant.receivingNumber);
    const lock = await holdInboxKey(
      tenant.tenantId,
      `${String(payload.message_id)}:message.received`,
    );
    const pending = postSigned(app, tenant.webhookSecret, payload);

    // PostgreSQL ends the waiting statement with SQLSTATE 57P01 (admin_shutdown).
    for (const pid of await lockWaiters(admin)) {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    }

    const response = await pending;

    await lock.release();
    const redelivery = await postSigned(app, tenant.webhookSecret, payload);

    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBeDefined();
    expect(response.body).not.toContain('terminating connection');
    expect(redelivery.json()).toEqual({ status: 'stored' });
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ res: { statusCode: 503 }, msg: 'request errored' }),
    );
    expect(logs.lines.filter((line) => line.msg === 'request errored')).toEqual([
      expect.not.objectContaining({ err: expect.anything() }),
    ]);
  });
});
