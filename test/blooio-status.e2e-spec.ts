import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';

import { postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { queryRows } from './support/row-counts';

interface Outbound {
  providerMessageId: string;
  messageId: string;
  sendId: string;
}

let contactCounter = 0;

/** Inserts an outbound message and its send record, as the replies worker would after sending. */
async function seedOutbound(
  tenant: SeededTenant,
  status: { message: string; send: string } = { message: 'queued', send: 'accepted' },
): Promise<Outbound> {
  const providerMessageId = `msg_${randomUUID()}`;
  const contactId = randomUUID();
  const conversationId = randomUUID();
  const messageId = randomUUID();
  const sendId = randomUUID();

  await queryRows(
    `WITH contact AS (
       INSERT INTO contacts (id, tenant_id, phone) VALUES ($1, $5, $6) RETURNING id
     ), conversation AS (
       INSERT INTO conversations (id, tenant_id, contact_id, phone, our_number)
       SELECT $2, $5, id, $6, $7 FROM contact RETURNING id
     ), message AS (
       INSERT INTO messages (id, tenant_id, conversation_id, direction, provider_message_id, body, status)
       SELECT $3, $5, id, 'outbound', $8, 'See you Tuesday!', $9::message_status FROM conversation
       RETURNING id, conversation_id
     )
     INSERT INTO outbound_sends (id, tenant_id, conversation_id, message_id, idempotency_key, body,
       status, provider_message_id)
     SELECT $4, $5, conversation_id, id, $11, 'See you Tuesday!', $10::send_status, $8 FROM message`,
    [
      contactId,
      conversationId,
      messageId,
      sendId,
      tenant.tenantId,
      `+1415555${String(3000 + (contactCounter += 1)).padStart(4, '0')}`,
      tenant.receivingNumber,
      providerMessageId,
      status.message,
      status.send,
      `send-${sendId}`,
    ],
  );

  return { providerMessageId, messageId, sendId };
}

async function statusesOf(
  outbound: Outbound,
): Promise<{ message: Record<string, unknown>; send: Record<string, unknown> }> {
  const [message] = await queryRows(
    'SELECT status, sent_at, delivered_at, read_at, error_code, error_message FROM messages WHERE id = $1',
    [outbound.messageId],
  );
  const [send] = await queryRows(
    'SELECT status, error_code, error_message FROM outbound_sends WHERE id = $1',
    [outbound.sendId],
  );

  return { message, send };
}

describe('Blooio delivery status', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await app.close();
  });

  function report(
    outbound: Pick<Outbound, 'providerMessageId'>,
    event: string,
    extra: Record<string, unknown> = {},
  ): Promise<LightMyRequestResponse> {
    return postSigned(app, tenant.webhookSecret, {
      event,
      message_id: outbound.providerMessageId,
      external_id: '+14155552671',
      internal_id: tenant.receivingNumber,
      timestamp: Date.now(),
      ...extra,
    });
  }

  it('moves through sent, delivered and read', async () => {
    const outbound = await seedOutbound(tenant);
    const sentAt = Date.UTC(2026, 11, 4, 10, 0, 0);
    const deliveredAt = sentAt + 2000;
    const readAt = sentAt + 60_000;

    expect((await report(outbound, 'message.sent', { sent_at: sentAt })).json()).toEqual({
      status: 'updated',
    });
    expect(
      (await report(outbound, 'message.delivered', { delivered_at: deliveredAt })).json(),
    ).toEqual({
      status: 'updated',
    });
    expect((await report(outbound, 'message.read', { read_at: readAt })).json()).toEqual({
      status: 'updated',
    });

    const { message, send } = await statusesOf(outbound);

    expect(message).toMatchObject({
      status: 'read',
      sent_at: new Date(sentAt),
      delivered_at: new Date(deliveredAt),
      read_at: new Date(readAt),
    });
    expect(send.status).toBe('read');
  });

  it('ignores a late sent after delivered', async () => {
    const outbound = await seedOutbound(tenant);

    await report(outbound, 'message.delivered');

    const late = await report(outbound, 'message.sent', { sent_at: Date.now() });
    const { message, send } = await statusesOf(outbound);

    expect(late.json()).toEqual({ status: 'unchanged' });
    expect(message.status).toBe('delivered');
    expect(message.sent_at).toBeNull();
    expect(send.status).toBe('delivered');
  });

  it('keeps delivered over a later failure', async () => {
    const outbound = await seedOutbound(tenant);

    await report(outbound, 'message.delivered');

    const failed = await report(outbound, 'message.failed', {
      error_code: 'E1',
      error_message: 'x',
    });
    const { message, send } = await statusesOf(outbound);

    expect(failed.json()).toEqual({ status: 'unchanged' });
    expect(message).toMatchObject({ status: 'delivered', error_code: null });
    expect(send).toMatchObject({ status: 'delivered', error_code: null });
  });

  it('records a failure with its error', async () => {
    const outbound = await seedOutbound(tenant);
    const response = await report(outbound, 'message.failed', {
      error_code: 30007,
      error_message: 'Carrier rejected the message',
    });
    const { message, send } = await statusesOf(outbound);

    expect(response.json()).toEqual({ status: 'updated' });
    expect(message).toMatchObject({
      status: 'failed',
      error_code: '30007',
      error_message: 'Carrier rejected the message',
    });
    expect(send).toMatchObject({ status: 'failed', error_code: '30007' });
  });

  it('keeps failed as terminal', async () => {
    const outbound = await seedOutbound(tenant);

    await report(outbound, 'message.failed');

    const delivered = await report(outbound, 'message.delivered');

    expect(delivered.json()).toEqual({ status: 'unchanged' });
    expect((await statusesOf(outbound)).message.status).toBe('failed');
  });

  it('never touches a withheld send', async () => {
    const outbound = await seedOutbound(tenant, { message: 'pending', send: 'withheld' });

    await report(outbound, 'message.sent');

    expect((await statusesOf(outbound)).send.status).toBe('withheld');
  });

  it('answers a redelivered report with duplicate', async () => {
    const outbound = await seedOutbound(tenant);

    await report(outbound, 'message.sent');

    expect((await report(outbound, 'message.sent')).json()).toEqual({ status: 'duplicate' });
  });

  it('applies out-of-order reports once under concurrency', async () => {
    const outbound = await seedOutbound(tenant);
    const events = [
      'message.read',
      'message.sent',
      'message.delivered',
      'message.sent',
      'message.read',
    ];
    const responses = await Promise.all(events.map((event) => report(outbound, event)));

    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    expect((await statusesOf(outbound)).message.status).toBe('read');
    expect((await statusesOf(outbound)).send.status).toBe('read');
  });

  it('leaves no inbox row for an unknown message', async () => {
    const unknown = { providerMessageId: `msg_${randomUUID()}` };
    const response = await report(unknown, 'message.delivered');
    const rows = await queryRows(
      'SELECT 1 FROM webhook_events WHERE tenant_id = $1 AND dedup_key LIKE $2',
      [tenant.tenantId, `${unknown.providerMessageId}%`],
    );

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'unknown_message' });
    expect(rows).toHaveLength(0);
  });

  it('never changes an inbound message', async () => {
    const inbound = await postSigned(app, tenant.webhookSecret, {
      event: 'message.received',
      message_id: `msg_${randomUUID()}`,
      external_id: '+14155552671',
      internal_id: tenant.receivingNumber,
      text: 'hello',
    });
    const providerMessageId = (
      await queryRows<{ provider_message_id: string }>(
        `SELECT provider_message_id FROM messages WHERE tenant_id = $1 AND direction = 'inbound'
         ORDER BY created_at DESC LIMIT 1`,
        [tenant.tenantId],
      )
    )[0].provider_message_id;
    const response = await report({ providerMessageId }, 'message.read');
    const [message] = await queryRows(
      'SELECT status FROM messages WHERE tenant_id = $1 AND provider_message_id = $2',
      [tenant.tenantId, providerMessageId],
    );

    expect(inbound.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'unknown_message' });
    expect(message.status).toBe('received');
  });
});
