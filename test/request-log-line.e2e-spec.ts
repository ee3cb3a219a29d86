import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { inboundPayload, postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { LogCapture } from './support/log-capture';

function keysOf(rawLine: string): string[] {
  return [...rawLine.matchAll(/"([A-Za-z]+)":/g)].map((match) => match[1]);
}

describe('The request line of an inbound message', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;
  const logs = new LogCapture();

  beforeAll(async () => {
    tenant = await seedTenant();
    app = await createTestApp({ logDestination: logs, env: { LOG_LEVEL: 'info' } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('carries request id, tenant and outcome once', async () => {
    const payload = inboundPayload(tenant.receivingNumber);
    const response = await postSigned(app, tenant.webhookSecret, payload);
    const index = logs.lines.findIndex((line) => line.providerMessageId === payload.message_id);
    const topLevelKeys = keysOf(logs.raw[index]).filter((key) =>
      ['tenantId', 'providerMessageId', 'outcome', 'messageId', 'conversationId'].includes(key),
    );

    expect(response.statusCode).toBe(200);
    expect(logs.lines[index]).toEqual(
      expect.objectContaining({
        req: expect.objectContaining({ id: response.headers['x-request-id'] }),
        tenantId: tenant.tenantId,
        outcome: 'stored',
        messageId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      }),
    );
    expect(topLevelKeys.sort()).toEqual(
      ['conversationId', 'messageId', 'outcome', 'providerMessageId', 'tenantId'].sort(),
    );
  });

  it('tags handler lines with the tenant once', async () => {
    const phone = `+1415555${String(Date.now() % 10_000).padStart(4, '0')}`;
    const response = await app.inject({
      method: 'POST',
      url: '/webhooks/lead-intake',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tenant.apiKey}` },
      payload: JSON.stringify({
        name: 'Log Line',
        phone,
        consent: { given: true, at: '2026-12-01T10:00:00Z', wording: 'I agree to texts.' },
      }),
    });
    const index = logs.lines.findIndex((line) => line.msg === 'Lead intake processed');

    expect(response.statusCode).toBe(201);
    expect(logs.lines[index]).toMatchObject({ tenantId: tenant.tenantId });
    expect(keysOf(logs.raw[index]).filter((key) => key === 'tenantId')).toHaveLength(1);
  });

  it('redacts the URL and request id', async () => {
    const response = await app.inject({
      method: 'GET',
      url: '/v1/conversations?%70hone=%2B14155550123&limit=5',
      headers: { authorization: `Bearer ${tenant.readKey}`, 'x-request-id': '1-415-555-0123' },
    });
    const index = logs.lines.findIndex((line) =>
      String((line.req as { url?: string } | undefined)?.url).startsWith('/v1/conversations?'),
    );

    expect(response.statusCode).toBe(200);
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(logs.lines[index]).toMatchObject({
      req: { url: '/v1/conversations?%70hone=[redacted]&limit=5' },
    });
    expect(logs.raw[index]).not.toMatch(/555.?0123/);
  });
});
