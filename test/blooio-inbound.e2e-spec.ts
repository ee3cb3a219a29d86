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

  it('answers a redelivery with duplicate and writes nothing', async () => {
    const payload = inboundPayload(tenant.receivingNumber);

    await postSigned(app, tenant.webhookSecret, payload);
    const before = await countRows();
    const response = await postSigned(app, tenant.webhookSecret, payload);

    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'duplicate' });
    expect(await countRows()).toEqual(before);
  });
});
