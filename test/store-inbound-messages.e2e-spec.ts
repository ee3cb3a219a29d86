import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';

import type { InboundMessageInput } from '../src/conversations/inbound-message';
import { Prisma } from '../src/generated/prisma/client';
import { InboundMessageStore } from '../src/conversations/inbound-message.store';
import { TenantDatabase } from '../src/database/tenant-database';
import { createTestApp } from './support/create-test-app';
import { inboundInput } from './support/inbound-input';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { queryRows } from './support/row-counts';
import { appDatabaseUrl, connectAs } from './support/test-database';

const batchCall = `
  SELECT idx, outcome, message_id FROM store_inbound_messages($1::jsonb, 5) ORDER BY idx`;

function element(tenant: SeededTenant, providerMessageId: string, dedupKey = providerMessageId) {
  return {
    tenantId: tenant.tenantId,
    source: 'blooio',
    dedupKey,
    contactKind: 'phone',
    contactValue: '+14155550101',
    chatAddress: '+14155550101',
    ourNumber: tenant.receivingNumber,
    providerMessageId,
    protocol: null,
    body: 'hello',
    attachments: [],
    receivedAt: new Date().toISOString(),
    replyState: 'awaiting_reply',
  };
}

describe('store_inbound_messages, called as the application role', () => {
  let tenant: SeededTenant;
  let other: SeededTenant;
  let client: Client;

  beforeAll(async () => {
    [tenant, other] = await Promise.all([seedTenant(), seedTenant()]);
    client = await connectAs(appDatabaseUrl);
  });

  afterAll(async () => {
    await client.end();
  });

  it('scopes each message to its own tenant', async () => {
    const [first, second] = [`msg_${randomUUID()}`, `msg_${randomUUID()}`];
    const { rows } = await client.query(batchCall, [
      JSON.stringify([element(tenant, first), element(other, second)]),
    ]);
    const after = await client.query<{ setting: string | null }>(
      `SELECT current_setting('app.tenant_id', true) AS setting`,
    );
    const stored = await queryRows(
      `SELECT m.provider_message_id AS id, m.tenant_id AS message, c.tenant_id AS conversation,
        e.tenant_id AS inbox
       FROM messages m JOIN conversations c ON c.id = m.conversation_id
       JOIN webhook_events e ON e.dedup_key = m.provider_message_id
       WHERE m.provider_message_id IN ($1, $2) ORDER BY m.tenant_id = $3 DESC`,
      [first, second, tenant.tenantId],
    );

    expect(rows.map((row) => row.outcome)).toEqual(['stored', 'stored']);
    expect(after.rows[0].setting ?? '').toBe('');
    expect(stored).toEqual([
      {
        id: first,
        message: tenant.tenantId,
        conversation: tenant.tenantId,
        inbox: tenant.tenantId,
      },
      { id: second, message: other.tenantId, conversation: other.tenantId, inbox: other.tenantId },
    ]);
  });

  it('keeps the batch around a duplicate', async () => {
    const [known, fresh] = [`msg_${randomUUID()}`, `msg_${randomUUID()}`];

    await client.query(batchCall, [JSON.stringify([element(tenant, known)])]);
    const { rows } = await client.query(batchCall, [
      JSON.stringify([element(tenant, known, `${known}:again`), element(tenant, fresh)]),
    ]);
    const claims = await queryRows(
      'SELECT dedup_key FROM webhook_events WHERE dedup_key IN ($1, $2, $3) ORDER BY dedup_key',
      [known, `${known}:again`, fresh],
    );

    expect(rows.map((row) => row.outcome)).toEqual(['duplicate', 'stored']);
    expect(claims.map((claim) => claim.dedup_key)).toEqual([known, fresh].sort());
  });

  it('stores a delivery repeated within one batch once', async () => {
    const id = `msg_${randomUUID()}`;
    const { rows } = await client.query(batchCall, [
      JSON.stringify([element(tenant, id), element(tenant, id)]),
    ]);
    const stored = await queryRows('SELECT id FROM messages WHERE provider_message_id = $1', [id]);

    expect(rows.map((row) => row.outcome)).toEqual(['stored', 'duplicate']);
    expect(stored).toHaveLength(1);
  });

  it('queues one reply job per stored message and notifies the workers once', async () => {
    const listener = await connectAs(appDatabaseUrl);
    const notifications: string[] = [];
    const [first, second] = [`msg_${randomUUID()}`, `msg_${randomUUID()}`];

    listener.on('notification', (message) => notifications.push(message.payload ?? ''));
    await listener.query('LISTEN "jobs:insert"');

    const { rows } = await client.query<{ outcome: string; message_id: string | null }>(batchCall, [
      JSON.stringify([element(tenant, first), element(other, second), element(tenant, first)]),
    ]);

    // A notification reaches the listener just after the commit; give a second one time to arrive.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await listener.end();

    const [firstId, secondId] = rows.map((row) => row.message_id);
    const jobs = await queryRows(
      `SELECT j.key, j.payload, j.max_attempts, t.identifier
       FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
       WHERE j.key IN ($1, $2) ORDER BY j.id`,
      [`reply:${firstId}`, `reply:${secondId}`],
    );

    expect(rows.map((row) => row.outcome)).toEqual(['stored', 'stored', 'duplicate']);
    expect(jobs).toEqual([
      {
        key: `reply:${firstId}`,
        payload: { tenantId: tenant.tenantId, messageId: firstId },
        max_attempts: 5,
        identifier: 'send_reply',
      },
      {
        key: `reply:${secondId}`,
        payload: { tenantId: other.tenantId, messageId: secondId },
        max_attempts: 5,
        identifier: 'send_reply',
      },
    ]);
    expect(
      notifications.map((payload) => (JSON.parse(payload) as { count: number }).count),
    ).toEqual([2]);
  });

  it('refuses to run inside a tenant-scoped transaction', async () => {
    const id = `msg_${randomUUID()}`;

    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.tenantId]);
    const failure = await client
      .query(batchCall, [JSON.stringify([element(tenant, id)])])
      .then(() => undefined)
      .catch((error: { code?: string }) => error.code);

    await client.query('ROLLBACK');
    const stored = await queryRows('SELECT id FROM messages WHERE provider_message_id = $1', [id]);

    expect(failure).toBe('42501');
    expect(stored).toEqual([]);
  });
});

describe('InboundMessageStore under concurrent messages', () => {
  let app: NestFastifyApplication;
  let store: InboundMessageStore;
  let database: TenantDatabase;
  let tenant: SeededTenant;

  beforeAll(async () => {
    app = await createTestApp({ env: { INGEST_BATCH_SIZE: '8', INGEST_CONCURRENCY: '1' } });
    store = app.get(InboundMessageStore);
    database = app.get(TenantDatabase);
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await app.close();
  });

  afterEach(() => {
    jest.restoreAllMocks();
  });

  function input(tenantId: string, providerMessageId: string, phone: string): InboundMessageInput {
    return inboundInput({ tenantId, ourNumber: tenant.receivingNumber, providerMessageId, phone });
  }

  it('stores 30 concurrent messages in batches of at most 8, each once', async () => {
    const batches = jest.spyOn(database, 'selfScopedBatch');
    const singles = jest.spyOn(database, 'selfScoped');
    const ids = Array.from({ length: 25 }, () => `msg_${randomUUID()}`);
    const sent = [...ids, ...ids.slice(0, 5)];
    const results = await Promise.all(
      sent.map((id, index) =>
        store.store(
          { source: 'blooio', dedupKey: id },
          input(tenant.tenantId, id, `+1415555${String(1000 + (index % 7))}`),
        ),
      ),
    );
    const stored = await queryRows(
      'SELECT count(*)::int AS messages, count(DISTINCT provider_message_id)::int AS ids FROM messages WHERE provider_message_id = ANY($1)',
      [ids],
    );

    expect(batches).toHaveBeenCalledTimes(4);
    expect(singles).not.toHaveBeenCalled();
    expect(results.filter((result) => result !== undefined)).toHaveLength(25);
    expect(stored).toEqual([{ messages: 25, ids: 25 }]);
  });

  it('stores the rest of a batch that one message fails', async () => {
    const ids = Array.from({ length: 4 }, () => `msg_${randomUUID()}`);
    const unknownTenant = randomUUID();
    const results = await Promise.allSettled(
      ids.map((id, index) =>
        store.store(
          { source: 'blooio', dedupKey: id },
          input(index === 2 ? unknownTenant : tenant.tenantId, id, '+14155551999'),
        ),
      ),
    );
    const stored = await queryRows(
      'SELECT provider_message_id AS id FROM messages WHERE provider_message_id = ANY($1) ORDER BY id',
      [ids],
    );

    expect(results.map((result) => result.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
    expect(stored.map((row) => row.id)).toEqual([ids[0], ids[1], ids[3]].sort());
  });

  it('stores a failed batch one message at a time', async () => {
    const storeAlone = database.selfScoped.bind(database);
    let inFlight = 0;
    let maxInFlight = 0;

    jest.spyOn(database, 'selfScoped').mockImplementation(async (tenantId, work) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);

      try {
        return await storeAlone(tenantId, work);
      } finally {
        inFlight -= 1;
      }
    });

    const ids = Array.from({ length: 6 }, () => `msg_${randomUUID()}`);
    const results = await Promise.allSettled(
      ids.map((id, index) =>
        store.store(
          { source: 'blooio', dedupKey: id },
          input(index === 3 ? randomUUID() : tenant.tenantId, id, '+14155551666'),
        ),
      ),
    );

    expect(results.filter((result) => result.status === 'rejected')).toHaveLength(1);
    expect(maxInFlight).toBe(1);
  });

  it('stores a lone surrogate in a batch as U+FFFD', async () => {
    const singles = jest.spyOn(database, 'selfScoped');
    const ids = Array.from({ length: 3 }, () => `msg_${randomUUID()}`);
    const results = await Promise.all(
      ids.map((id, index) =>
        store.store(
          { source: 'blooio', dedupKey: id },
          { ...input(tenant.tenantId, id, '+14155551888'), body: index === 1 ? 'a\ud800b' : 'ok' },
        ),
      ),
    );
    const [stored] = await queryRows('SELECT body FROM messages WHERE provider_message_id = $1', [
      ids[1],
    ]);

    expect(results.every((result) => result !== undefined)).toBe(true);
    expect(singles).not.toHaveBeenCalled();
    expect(stored).toEqual({ body: 'a\ufffdb' });
  });

  it('reports a provider message id stored under another key as a duplicate', async () => {
    const id = `msg_${randomUUID()}`;
    const message = input(tenant.tenantId, id, '+14155551999');
    const first = await store.store({ source: 'blooio', dedupKey: `${id}:a` }, message);
    const again = await store.store({ source: 'blooio', dedupKey: `${id}:b` }, message);
    const stored = await queryRows('SELECT id FROM messages WHERE provider_message_id = $1', [id]);

    expect(first).toEqual(expect.objectContaining({ messageId: expect.any(String) }));
    expect(again).toBeUndefined();
    expect(stored).toHaveLength(1);
  });

  it('runs a store again after a deadlock', async () => {
    const deadlock = new Prisma.PrismaClientKnownRequestError('deadlock detected', {
      code: 'P2010',
      clientVersion: 'test',
      meta: { driverAdapterError: { cause: { originalCode: '40P01' } } },
    });
    const singles = jest.spyOn(database, 'selfScoped').mockRejectedValueOnce(deadlock);
    const id = `msg_${randomUUID()}`;
    const result = await store.store(
      { source: 'blooio', dedupKey: id },
      input(tenant.tenantId, id, '+14155551777'),
    );

    expect(result).toEqual(expect.objectContaining({ messageId: expect.any(String) }));
    expect(singles).toHaveBeenCalledTimes(2);
  });
});
