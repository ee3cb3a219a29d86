import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';

import type { InboundMessageInput } from '../src/conversations/inbound-message';
import { InboundMessageStore } from '../src/conversations/inbound-message.store';
import { TenantDatabase } from '../src/database/tenant-database';
import { createTestApp } from './support/create-test-app';
import { inboundInput } from './support/inbound-input';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { connectAs, superuserDatabaseUrl } from './support/test-database';

describe('A batch of received messages that times out', () => {
  let app: NestFastifyApplication;
  let store: InboundMessageStore;
  let database: TenantDatabase;
  let tenant: SeededTenant;

  beforeAll(async () => {
    app = await createTestApp({
      env: { DATABASE_QUERY_TIMEOUT_MS: '500', INGEST_BATCH_SIZE: '8', INGEST_CONCURRENCY: '1' },
    });
    store = app.get(InboundMessageStore);
    database = app.get(TenantDatabase);
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await app.close();
  });

  function input(providerMessageId: string): InboundMessageInput {
    return inboundInput({
      tenantId: tenant.tenantId,
      ourNumber: tenant.receivingNumber,
      providerMessageId,
      phone: '+14155551555',
    });
  }

  it('fails its messages without storing each alone', async () => {
    const singles = jest.spyOn(database, 'selfScoped');
    const locker: Client = await connectAs(superuserDatabaseUrl);

    await locker.query('BEGIN');
    await locker.query('LOCK TABLE messages IN ACCESS EXCLUSIVE MODE');

    // Messages stored in one turn of the event loop leave as one batch.
    const ids = Array.from({ length: 5 }, () => `msg_${randomUUID()}`);
    const results = Promise.allSettled(
      ids.map((id) => store.store({ source: 'blooio', dedupKey: id }, input(id))),
    );
    const settled = await results.finally(async () => {
      await locker.query('ROLLBACK');
      await locker.end();
    });

    expect(settled.map((result) => result.status)).toEqual(Array(5).fill('rejected'));
    expect(singles).not.toHaveBeenCalled();
  });
});
