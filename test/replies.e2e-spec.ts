import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { TenantDatabase } from '../src/database/tenant-database';
import { ReplyJobs } from '../src/replies/reply-jobs';
import { inboundPayload, postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { FakeBlooio } from './support/fakes/fake-blooio';
import type { FakeTelegram } from './support/fakes/fake-telegram';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import {
  asSuperuser,
  replyEnv,
  sendsFor,
  startReplyHarness,
  storeInbound,
  updateTenant,
  waitForAlert,
  waitForReply,
  uniqueContactNumber,
} from './support/replies';
import type { ReplyHarness } from './support/replies';

// Each case waits for a background job through real PostgreSQL, well past Jest's 5 s default.
jest.setTimeout(30000);

describe('Replies', () => {
  let harness: ReplyHarness;
  let app: NestFastifyApplication;
  let blooio: FakeBlooio;
  let telegram: FakeTelegram;
  let tenant: SeededTenant;

  beforeAll(async () => {
    harness = await startReplyHarness();
    ({ app, blooio, telegram } = harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(async () => {
    tenant = await seedTenant();
  });

  function inbound(from: string, text: string): Promise<string> {
    return storeInbound(app, {
      tenant,
      from,
      text,
    });
  }

  function billedTo(chatId: string): string[] {
    return [...blooio.billed.values()].filter((m) => m.chatId === chatId).map((m) => m.text);
  }

  it('sends one template reply and records it', async () => {
    const contact = uniqueContactNumber();
    const messageId = await inbound(contact, 'Hi, do you have time this week?');

    await expect(waitForReply(messageId)).resolves.toEqual({
      reply_state: 'replied',
      reply_reason: null,
    });

    const [send] = await sendsFor(messageId);
    const request = blooio.requests.find((r) => r.chatId === contact);

    expect(billedTo(contact)).toHaveLength(1);
    expect(send).toMatchObject({
      idempotency_key: `reply-${messageId}`,
      kind: 'reply',
      status: 'accepted',
    });
    expect(send.provider_message_id).toMatch(/^msg_/);
    expect(send.message_status).toBe('queued');
    expect(request?.fromNumber).toBe(tenant.receivingNumber);
    expect(request?.rawPath).toContain(encodeURIComponent(contact));
  });

  it('ignores a second enqueue of one message', async () => {
    const messageId = await inbound(uniqueContactNumber(), 'Hello');

    await app
      .get(TenantDatabase)
      .transaction(tenant.tenantId, (tx) =>
        app.get(ReplyJobs).enqueueInTransaction(tx, { tenantId: tenant.tenantId, messageId }),
      );
    await waitForReply(messageId);

    expect(await sendsFor(messageId)).toHaveLength(1);
    expect(blooio.requests.filter((r) => r.idempotencyKey === `reply-${messageId}`)).toHaveLength(
      1,
    );
  });

  it('applies status webhooks to the reply', async () => {
    const contact = uniqueContactNumber();
    const messageId = await inbound(contact, 'Hello');

    await waitForReply(messageId);

    const [send] = await sendsFor(messageId);
    const response = await postSigned(
      app,
      tenant.webhookSecret,
      inboundPayload(tenant.receivingNumber, {
        event: 'message.delivered',
        message_id: send.provider_message_id,
        external_id: contact,
        delivered_at: Date.now(),
      }),
    );

    expect(response.statusCode).toBe(200);
    expect(await sendsFor(messageId)).toEqual([
      expect.objectContaining({ status: 'delivered', message_status: 'delivered' }),
    ]);
  });

  it('replies once to a redelivered webhook', async () => {
    const contact = uniqueContactNumber();
    const payload = inboundPayload(tenant.receivingNumber, { external_id: contact, text: 'Hello' });
    const responses = await Promise.all([
      postSigned(app, tenant.webhookSecret, payload),
      postSigned(app, tenant.webhookSecret, payload),
    ]);
    const { rows } = await asSuperuser((client) =>
      client.query('SELECT id FROM messages WHERE tenant_id = $1 AND provider_message_id = $2', [
        tenant.tenantId,
        payload.message_id,
      ]),
    );

    expect(responses.map((r) => r.statusCode)).toEqual([200, 200]);
    await expect(waitForReply(rows[0].id)).resolves.toMatchObject({ reply_state: 'replied' });
    expect(billedTo(contact)).toHaveLength(1);
  });

  it('adds no job when the transaction rolls back', async () => {
    const messageId = '7d1c6a43-1111-4d55-9a8e-1e2f3a4b5c6d';

    await expect(
      app.get(TenantDatabase).transaction(tenant.tenantId, async (tx) => {
        await app.get(ReplyJobs).enqueueInTransaction(tx, { tenantId: tenant.tenantId, messageId });
        throw new Error('store failed');
      }),
    ).rejects.toThrow('store failed');

    const { rows } = await asSuperuser((client) =>
      client.query('SELECT 1 FROM graphile_worker._private_jobs WHERE key = $1', [
        `reply:${messageId}`,
      ]),
    );

    expect(rows).toHaveLength(0);
  });

  it('confirms STOP once and then stays silent', async () => {
    const contact = uniqueContactNumber();
    const stopId = await inbound(contact, ' Stop. ');

    await expect(waitForReply(stopId)).resolves.toEqual({
      reply_state: 'replied',
      reply_reason: null,
    });

    const laterId = await inbound(contact, 'Actually, what are your prices?');
    const againId = await inbound(contact, 'STOP');

    await expect(waitForReply(laterId)).resolves.toEqual({
      reply_state: 'withheld',
      reply_reason: 'opted_out',
    });
    await expect(waitForReply(againId)).resolves.toEqual({
      reply_state: 'withheld',
      reply_reason: 'opted_out',
    });
    expect(billedTo(contact)).toEqual([expect.stringContaining('unsubscribed')]);

    const { rows } = await asSuperuser((client) =>
      client.query('SELECT opted_out_at FROM contacts WHERE tenant_id = $1 AND phone = $2', [
        tenant.tenantId,
        contact,
      ]),
    );

    expect(rows[0].opted_out_at).toBeInstanceOf(Date);
  });

  it('resumes replies after START', async () => {
    const contact = uniqueContactNumber();

    await waitForReply(await inbound(contact, 'unsubscribe'));

    const startId = await inbound(contact, 'start');

    await waitForReply(startId);

    const nextId = await inbound(contact, 'Can I book for Friday?');

    await expect(waitForReply(nextId)).resolves.toMatchObject({ reply_state: 'replied' });
    expect(billedTo(contact)).toEqual([
      expect.stringContaining('unsubscribed'),
      expect.stringContaining('resubscribed'),
      expect.stringContaining('Someone from'),
    ]);
  });

  it('answers HELP with the help text', async () => {
    const contact = uniqueContactNumber();

    await updateTenant(tenant.tenantId, {
      help_text: 'Demo Dental: call us on weekdays. Reply STOP to opt out.',
    });
    await waitForReply(await inbound(contact, 'help'));

    expect(billedTo(contact)).toEqual(['Demo Dental: call us on weekdays. Reply STOP to opt out.']);
  });

  it('does not retry a quota 429 and alerts', async () => {
    const contact = uniqueContactNumber();

    blooio.willRespond({ kind: 'fail', status: 429, code: 'outbound_limit_reached' });

    const messageId = await inbound(contact, 'Hello');

    await expect(waitForReply(messageId)).resolves.toEqual({
      reply_state: 'failed',
      reply_reason: 'outbound_limit_reached',
    });
    expect(blooio.requests.filter((r) => r.chatId === contact)).toHaveLength(1);
    expect(await sendsFor(messageId)).toEqual([
      expect.objectContaining({
        status: 'failed',
        error_code: 'outbound_limit_reached',
        message_status: 'failed',
      }),
    ]);
    await waitForAlert(telegram, /quota_reached.*outbound_limit_reached/);
  });

  it('retries a 503 and sends once', async () => {
    const contact = uniqueContactNumber();

    blooio.willRespond({ kind: 'fail', status: 503, code: 'no_active_device' });

    const messageId = await inbound(contact, 'Hello');

    await expect(waitForReply(messageId)).resolves.toMatchObject({ reply_state: 'replied' });
    expect(blooio.requests.filter((r) => r.chatId === contact)).toHaveLength(2);
    expect(billedTo(contact)).toHaveLength(1);
  });

  it('retries a timed-out accepted send with the same key', async () => {
    const contact = uniqueContactNumber();

    blooio.willRespond({ kind: 'accept_slowly', delayMs: 1500 });

    const messageId = await inbound(contact, 'Hello');

    await expect(waitForReply(messageId)).resolves.toMatchObject({ reply_state: 'replied' });

    const keys = blooio.requests.filter((r) => r.chatId === contact).map((r) => r.idempotencyKey);

    expect(keys).toEqual([`reply-${messageId}`, `reply-${messageId}`]);
    expect(billedTo(contact)).toHaveLength(1);
    expect((await sendsFor(messageId))[0].status).toBe('accepted');
  });

  it('stops at the daily cap and alerts', async () => {
    await updateTenant(tenant.tenantId, { daily_send_cap: 2 });

    const contacts = [uniqueContactNumber(), uniqueContactNumber(), uniqueContactNumber()];
    const states = [];

    for (const contact of contacts) {
      states.push(await waitForReply(await inbound(contact, 'Hello')));
    }

    expect(states.map((s) => s.reply_state)).toEqual(['replied', 'replied', 'withheld']);
    expect(states[2].reply_reason).toBe('daily_cap');
    expect(contacts.map((c) => billedTo(c).length)).toEqual([1, 1, 0]);
    await waitForAlert(telegram, new RegExp(`guard_tripped.*daily_cap[\\s\\S]*${tenant.tenantId}`));
  });

  it('holds the daily cap under concurrency', async () => {
    await updateTenant(tenant.tenantId, { daily_send_cap: 3 });

    const contacts = Array.from({ length: 8 }, () => uniqueContactNumber());
    const messageIds = await Promise.all(contacts.map((contact) => inbound(contact, 'Hello')));
    const states = await Promise.all(messageIds.map((id) => waitForReply(id)));
    const replied = states.filter((s) => s.reply_state === 'replied');
    const withheld = states.filter((s) => s.reply_reason === 'daily_cap');

    expect(replied).toHaveLength(3);
    expect(withheld).toHaveLength(5);
    expect(contacts.flatMap((c) => billedTo(c))).toHaveLength(3);
  });

  it('withholds replies while the tenant is paused', async () => {
    const contact = uniqueContactNumber();

    await updateTenant(tenant.tenantId, { replies_paused: true });

    const messageId = await inbound(contact, 'Hello');

    await expect(waitForReply(messageId)).resolves.toEqual({
      reply_state: 'withheld',
      reply_reason: 'tenant_paused',
    });
    expect(billedTo(contact)).toHaveLength(0);
  });

  it('keeps the inbound message when a guard trips', async () => {
    const contact = uniqueContactNumber();

    await updateTenant(tenant.tenantId, { daily_send_cap: 0 });

    const messageId = await inbound(contact, 'Is anyone there?');

    await waitForReply(messageId);

    const { rows } = await asSuperuser((client) =>
      client.query('SELECT body, direction, status FROM messages WHERE id = $1', [messageId]),
    );

    expect(rows).toEqual([{ body: 'Is anyone there?', direction: 'inbound', status: 'received' }]);
  });
});

describe('Replies with the global kill switch', () => {
  it('withholds every reply', async () => {
    const blooio = await new FakeBlooio().start();
    const app = await createTestApp({
      env: replyEnv(blooio, undefined, { REPLIES_PAUSED: 'true' }),
    });

    try {
      const tenant = await seedTenant();
      const messageId = await storeInbound(app, {
        tenant,
        from: uniqueContactNumber(),
        text: 'Hello',
      });

      await expect(waitForReply(messageId)).resolves.toEqual({
        reply_state: 'withheld',
        reply_reason: 'global_kill_switch',
      });
      expect(blooio.requests).toHaveLength(0);
    } finally {
      await app.close();
      await blooio.stop();
    }
  });
});
