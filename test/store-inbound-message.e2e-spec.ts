import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';

import { REPLY_TASK, replyJobKey } from '../src/replies/reply-jobs';
import { inboundPayload, postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { LogCapture } from './support/log-capture';
import { queryRows } from './support/row-counts';
import { appDatabaseUrl, connectAs } from './support/test-database';

const storeCall = `
  SELECT outcome, message_id FROM store_inbound_message(
    $1::uuid, 'blooio', $2, 'phone', '+14155550101', '+14155550101', $3, $2, NULL, 'hello',
    '[]'::jsonb, now(), 'awaiting_reply', 5)`;

describe('store_inbound_message, called as the application role', () => {
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

  it('leaves no tenant on the connection', async () => {
    const key = `msg_${randomUUID()}`;
    const { rows } = await client.query(storeCall, [tenant.tenantId, key, tenant.receivingNumber]);
    const after = await client.query<{ setting: string | null; visible: string }>(
      `SELECT current_setting('app.tenant_id', true) AS setting,
        (SELECT count(*) FROM messages) AS visible`,
    );

    expect(rows[0].outcome).toBe('stored');
    expect(after.rows[0].setting ?? '').toBe('');
    expect(after.rows[0].visible).toBe('0');
  });

  it("rejects another tenant's transaction", async () => {
    const key = `msg_${randomUUID()}`;

    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [other.tenantId]);
    const failure = await client
      .query(storeCall, [tenant.tenantId, key, tenant.receivingNumber])
      .then(() => undefined)
      .catch((error: { code?: string }) => error.code);

    await client.query('ROLLBACK');
    const stored = await queryRows('SELECT id FROM messages WHERE provider_message_id = $1', [key]);

    expect(failure).toBe('42501');
    expect(stored).toEqual([]);
  });

  it('leaves a known contact row unchanged', async () => {
    const contactRow = `SELECT id, xmin::text AS version, updated_at FROM contacts
      WHERE tenant_id = $1 AND phone = '+14155550101'`;

    await client.query(storeCall, [other.tenantId, `msg_${randomUUID()}`, other.receivingNumber]);
    const before = await queryRows(contactRow, [other.tenantId]);
    const { rows } = await client.query(storeCall, [
      other.tenantId,
      `msg_${randomUUID()}`,
      other.receivingNumber,
    ]);
    const after = await queryRows(contactRow, [other.tenantId]);

    expect(rows[0].outcome).toBe('stored');
    expect(before).toHaveLength(1);
    expect(after).toEqual(before);
  });

  it('queues the reply job by key', async () => {
    const key = `msg_${randomUUID()}`;
    const { rows } = await client.query<{ message_id: string }>(storeCall, [
      tenant.tenantId,
      key,
      tenant.receivingNumber,
    ]);
    const jobs = await queryRows(
      `SELECT t.identifier AS task, j.key, j.max_attempts FROM graphile_worker._private_jobs j
       JOIN graphile_worker._private_tasks t ON t.id = j.task_id WHERE j.key = $1`,
      [replyJobKey(rows[0].message_id)],
    );

    expect(jobs).toEqual([
      { task: REPLY_TASK, key: replyJobKey(rows[0].message_id), max_attempts: 5 },
    ]);
  });
});

describe('Inbound message log', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;
  const logs = new LogCapture();

  beforeAll(async () => {
    app = await createTestApp({ logDestination: logs, env: { LOG_LEVEL: 'info' } });
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await app.close();
  });

  it('names the stored message once', async () => {
    const payload = inboundPayload(tenant.receivingNumber);
    const before = logs.lines.length;
    const response = await postSigned(app, tenant.webhookSecret, payload);
    const lines = logs.lines.slice(before);
    const [message] = await queryRows(
      'SELECT id, conversation_id FROM messages WHERE tenant_id = $1 AND provider_message_id = $2',
      [tenant.tenantId, payload.message_id],
    );

    expect(response.statusCode).toBe(200);
    expect(lines).toHaveLength(1);
    expect(lines[0].res).toEqual({ statusCode: 200 });
    expect(lines[0]).toMatchObject({
      tenantId: tenant.tenantId,
      providerMessageId: payload.message_id,
      outcome: 'stored',
      messageId: message.id,
      conversationId: message.conversation_id,
    });
  });

  it('marks a redelivery as duplicate', async () => {
    const payload = inboundPayload(tenant.receivingNumber);

    await postSigned(app, tenant.webhookSecret, payload);
    const before = logs.lines.length;

    await postSigned(app, tenant.webhookSecret, payload);
    const lines = logs.lines.slice(before);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ outcome: 'duplicate', providerMessageId: payload.message_id });
  });
});
