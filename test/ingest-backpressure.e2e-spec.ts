import { setTimeout as sleep } from 'node:timers/promises';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';

import { inboundPayload, postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { holdInboxKey, lockWaiters } from './support/inbox-lock';
import { connectAs, superuserDatabaseUrl } from './support/test-database';

describe('Received messages beyond INGEST_QUEUE_LIMIT', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;
  let admin: Client;

  beforeAll(async () => {
    tenant = await seedTenant();
    app = await createTestApp({ env: { INGEST_CONCURRENCY: '1', INGEST_QUEUE_LIMIT: '2' } });
    admin = await connectAs(superuserDatabaseUrl);
  });

  afterAll(async () => {
    await admin.end();
    await app.close();
  });

  it('get 503 while the store is blocked', async () => {
    const payloads = Array.from({ length: 4 }, () => inboundPayload(tenant.receivingNumber));
    const post = (payload: Record<string, unknown>) =>
      postSigned(app, tenant.webhookSecret, payload);
    const lock = await holdInboxKey(
      tenant.tenantId,
      `${String(payloads[0].message_id)}:message.received`,
    );

    // The first message's batch occupies the only slot, and two more messages fill the queue.
    const blocked = post(payloads[0]);

    await lockWaiters(admin);
    const waiting = [post(payloads[1]), post(payloads[2])];

    await sleep(300);
    const rejected = await post(payloads[3]);

    await lock.release();
    const answered = await Promise.all([blocked, ...waiting]);
    const redelivered = await post(payloads[3]);

    expect(rejected.statusCode).toBe(503);
    expect(rejected.headers['retry-after']).toBeDefined();
    expect(rejected.json()).toEqual(expect.objectContaining({ code: 'ingest_overloaded' }));
    expect(answered.map((response) => response.json())).toEqual(
      Array(3).fill({ status: 'stored' }),
    );
    expect(redelivered.json()).toEqual({ status: 'stored' });
  });
});
