import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { inboundPayload, postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { countRows, queryRows } from './support/row-counts';

describe('Blooio message.received', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await app.close();
  });

  it('stores contact, conversation, message and inbox row', async () => {
    const payload = inboundPayload(tenant.receivingNumber, { external_id: '(415) 555-2671' });
    const response = await postSigned(app, tenant.webhookSecret, payload);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'stored' });

    const [message] = await queryRows(
      `SELECT m.direction, m.status, m.reply_state, m.body, m.protocol, c.phone, c.our_number, k.phone AS contact_phone
       FROM messages m JOIN conversations c ON c.id = m.conversation_id JOIN contacts k ON k.id = c.contact_id
       WHERE m.tenant_id = $1 AND m.provider_message_id = $2`,
      [tenant.tenantId, payload.message_id],
    );

    expect(message).toEqual({
      direction: 'inbound',
      status: 'received',
      reply_state: 'awaiting_reply',
      body: payload.text,
      protocol: 'imessage',
      phone: '+14155552671',
      our_number: tenant.receivingNumber,
      contact_phone: '+14155552671',
    });
  });

  it('stores text with a NUL character without it', async () => {
    const payload = inboundPayload(tenant.receivingNumber, { text: 'a\u0000b' });
    const response = await postSigned(app, tenant.webhookSecret, payload);
    const [message] = await queryRows(
      'SELECT body FROM messages WHERE tenant_id = $1 AND provider_message_id = $2',
      [tenant.tenantId, payload.message_id],
    );

    expect(response.statusCode).toBe(200);
    expect(message).toEqual({ body: 'ab' });
  });

  it('answers a redelivery with duplicate and writes nothing', async () => {
    const payload = inboundPayload(tenant.receivingNumber);

    await postSigned(app, tenant.webhookSecret, payload);
    const before = await countRows();
    const response = await postSigned(app, tenant.webhookSecret, payload);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'duplicate' });
    expect(await countRows()).toEqual(before);
  });

  it('rolls back the inbox row when the message already exists', async () => {
    const payload = inboundPayload(tenant.receivingNumber);

    await postSigned(app, tenant.webhookSecret, payload);
    // Without its inbox row, the redelivery claims a new one and then meets the stored message.
    await queryRows('DELETE FROM webhook_events WHERE tenant_id = $1 AND dedup_key = $2', [
      tenant.tenantId,
      `${String(payload.message_id)}:message.received`,
    ]);
    const before = await countRows();
    const response = await postSigned(app, tenant.webhookSecret, payload);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'duplicate' });
    expect(await countRows()).toEqual(before);
  });

  it('stores one message under 50 concurrent redeliveries', async () => {
    const payload = inboundPayload(tenant.receivingNumber, { external_id: '+14155550123' });
    const before = await countRows();
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => postSigned(app, tenant.webhookSecret, payload)),
    );
    const after = await countRows();
    const outcomes = responses.map((response) => response.json<{ status: string }>().status);

    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    expect(outcomes.filter((outcome) => outcome === 'stored')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'duplicate')).toHaveLength(49);
    expect(after.messages - before.messages).toBe(1);
    expect(after.webhook_events - before.webhook_events).toBe(1);
  });

  it('creates one contact for concurrent first messages', async () => {
    const before = await countRows();
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        postSigned(
          app,
          tenant.webhookSecret,
          inboundPayload(tenant.receivingNumber, { external_id: '+14155550144' }),
        ),
      ),
    );
    const after = await countRows();

    expect(responses.every((response) => response.statusCode === 200)).toBe(true);
    expect(after.contacts - before.contacts).toBe(1);
    expect(after.conversations - before.conversations).toBe(1);
    expect(after.messages - before.messages).toBe(10);
  });

  it('uses an iMessage email as the contact key', async () => {
    const payload = inboundPayload(tenant.receivingNumber, { external_id: 'Jane.Doe@iCloud.com' });
    const response = await postSigned(app, tenant.webhookSecret, payload);
    const [row] = await queryRows(
      `SELECT c.phone AS chat, k.email, k.phone FROM messages m
       JOIN conversations c ON c.id = m.conversation_id JOIN contacts k ON k.id = c.contact_id
       WHERE m.tenant_id = $1 AND m.provider_message_id = $2`,
      [tenant.tenantId, payload.message_id],
    );

    expect(response.statusCode).toBe(200);
    expect(row).toEqual({ chat: 'jane.doe@icloud.com', email: 'jane.doe@icloud.com', phone: null });
  });

  it('reads national numbers with the tenant region', async () => {
    const british = await seedTenant();

    await queryRows(`UPDATE tenants SET default_region = 'GB' WHERE id = $1`, [british.tenantId]);

    const payload = inboundPayload(british.receivingNumber, { external_id: '07911 123456' });
    const response = await postSigned(app, british.webhookSecret, payload);
    const [row] = await queryRows(
      `SELECT c.phone FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.tenant_id = $1 AND m.provider_message_id = $2`,
      [british.tenantId, payload.message_id],
    );

    expect(response.statusCode).toBe(200);
    expect(row.phone).toBe('+447911123456');
  });

  it('accepts string and object attachments', async () => {
    const payload = inboundPayload(tenant.receivingNumber, {
      attachments: [
        'https://cdn.example.com/a.jpg',
        { url: 'https://cdn.example.com/b.pdf', name: 'b.pdf' },
        { url: 'https://cdn.example.com/c.png', name: null },
      ],
    });
    const response = await postSigned(app, tenant.webhookSecret, payload);
    const [row] = await queryRows(
      'SELECT attachments FROM messages WHERE tenant_id = $1 AND provider_message_id = $2',
      [tenant.tenantId, payload.message_id],
    );

    expect(response.statusCode).toBe(200);
    expect(row.attachments).toEqual([
      { url: 'https://cdn.example.com/a.jpg' },
      { url: 'https://cdn.example.com/b.pdf', name: 'b.pdf' },
      { url: 'https://cdn.example.com/c.png' },
    ]);
  });

  it('stores a group message without a reply', async () => {
    const payload = inboundPayload(tenant.receivingNumber, {
      is_group: true,
      external_id: 'grp_abc123',
      group_id: 'grp_abc123',
      sender: '+14155550177',
      participants: ['+14155550177', '+14155550178'],
    });
    const response = await postSigned(app, tenant.webhookSecret, payload);
    const [row] = await queryRows(
      `SELECT m.reply_state, c.phone AS chat, k.phone AS contact FROM messages m
       JOIN conversations c ON c.id = m.conversation_id JOIN contacts k ON k.id = c.contact_id
       WHERE m.tenant_id = $1 AND m.provider_message_id = $2`,
      [tenant.tenantId, payload.message_id],
    );

    expect(response.statusCode).toBe(200);
    expect(row).toEqual({ reply_state: 'none', chat: 'grp_abc123', contact: '+14155550177' });
  });

  it('ignores unknown fields', async () => {
    const response = await postSigned(
      app,
      tenant.webhookSecret,
      inboundPayload(tenant.receivingNumber, {
        device_id: 'dev_1',
        brand_new_field: { nested: [1, { deeper: true }] },
        status: 'received',
      }),
    );

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'stored' });
  });

  it.each(['message.reaction', 'poll.answered', 'constructor', '__proto__'])(
    'ignores the event %s',
    async (event) => {
      const before = await countRows();
      const response = await postSigned(
        app,
        tenant.webhookSecret,
        inboundPayload(tenant.receivingNumber, { event }),
      );

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ignored' });
      expect(await countRows()).toEqual(before);
    },
  );

  it.each([
    ['a missing message_id', { message_id: undefined }, /message_id must be a string/],
    ['a numeric message_id', { message_id: 42 }, /message_id must be a string/],
    ['an empty message_id', { message_id: '' }, /message_id must be longer/],
    [
      'a message_id with U+0000',
      { message_id: 'msg_nul\u0000' },
      /message_id must be text without control characters/,
    ],
    [
      'a message_id with a lone surrogate',
      { message_id: 'msg_half\ud800' },
      /message_id must be text without control characters or lone surrogates/,
    ],
    ['a missing event', { event: undefined }, /event must be a string/],
    ['a missing external_id', { external_id: undefined }, /external_id must be a string/],
    [
      'an invalid contact',
      { external_id: '12345' },
      /external_id must be an email address or a phone number valid in region US/,
    ],
    [
      'an email with a lone surrogate',
      { external_id: 'x\ud83d@example.com' },
      /external_id must be an email address/,
    ],
    ['a numeric text', { text: 7 }, /text must be a string/],
    [
      'an object attachment without url',
      { attachments: [{ name: 'x' }] },
      /attachments must be an array/,
    ],
    ['attachments as a string', { attachments: 'https://x' }, /attachments must be an array/],
    ['a non-boolean is_group', { is_group: 'false' }, /is_group must be a boolean/],
    ['a text timestamp', { received_at: 'yesterday' }, /received_at must be milliseconds/],
    ['a group without sender', { is_group: true, sender: undefined }, /sender is required/],
  ])('rejects %s with 400', async (_, overrides, message) => {
    const before = await countRows();
    const response = await postSigned(
      app,
      tenant.webhookSecret,
      inboundPayload(tenant.receivingNumber, overrides),
    );

    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json().message)).toMatch(message);
    expect(await countRows()).toEqual(before);
  });
});
