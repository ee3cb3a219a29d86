import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';

import { SecretBox } from '../src/common/crypto/secret-box';
import { TenantResolver } from '../src/database/tenant-resolver';
import { WebhookTenantRepository } from '../src/webhooks/webhook-tenant.repository';
import {
  inboundPayload,
  nodeSignature,
  nowSeconds,
  opensslSignature,
  postSigned,
} from './support/blooio';
import { createTestApp, testEncryptionKey } from './support/create-test-app';
import { seedTenant, uniqueNumber } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { countRows, queryRows } from './support/row-counts';

function withoutRequestId(response: LightMyRequestResponse): unknown {
  const body = response.json<Record<string, unknown>>();

  delete body.requestId;

  return body;
}

function post(
  app: NestFastifyApplication,
  body: Buffer,
  headers: Record<string, string>,
  url = '/webhooks/blooio',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: body,
  });
}

async function rotateSecret(
  tenant: SeededTenant,
  newSecret: string,
  previousValidForMs: number,
): Promise<void> {
  const box = new SecretBox(testEncryptionKey);

  await queryRows(
    `UPDATE webhook_secrets SET current_ciphertext = $2, previous_ciphertext = $3,
       previous_expires_at = now() + ($4 || ' milliseconds')::interval, rotated_at = now()
     WHERE tenant_id = $1`,
    [
      tenant.tenantId,
      box.encrypt(newSecret, tenant.tenantId),
      box.encrypt(tenant.webhookSecret, tenant.tenantId),
      String(previousValidForMs),
    ],
  );
}

describe('Blooio signature', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('accepted', () => {
    it('matches an openssl-computed signature', async () => {
      const body = Buffer.from(JSON.stringify(inboundPayload(tenant.receivingNumber)));
      const timestamp = nowSeconds();
      const signature = opensslSignature(tenant.webhookSecret, timestamp, body);
      const response = await post(app, body, {
        'x-blooio-signature': `t=${timestamp},v1=${signature}`,
      });

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'stored' });
    });

    it('stores emoji and non-ASCII text byte for byte', async () => {
      const text = 'Olá 👋 café, 日本語, Ünïcödé ✓ — \u2028 "quoted" \\ back';
      const payload = inboundPayload(tenant.receivingNumber, { text });
      const body = Buffer.from(JSON.stringify(payload), 'utf8');
      const timestamp = nowSeconds();
      const response = await post(app, body, {
        'x-blooio-signature': `t=${timestamp},v1=${opensslSignature(tenant.webhookSecret, timestamp, body)}`,
      });
      const [message] = await queryRows(
        'SELECT body FROM messages WHERE tenant_id = $1 AND provider_message_id = $2',
        [tenant.tenantId, payload.message_id],
      );

      expect(response.statusCode).toBe(200);
      expect(message.body).toBe(text);
    });

    it.each(['x-blooio-signature', 'X-BLOOIO-SIGNATURE', 'blooio-signature', 'Blooio-Signature'])(
      'reads the header %s',
      async (headerName) => {
        const response = await postSigned(
          app,
          tenant.webhookSecret,
          inboundPayload(tenant.receivingNumber),
          { headerName },
        );

        expect(response.statusCode).toBe(200);
      },
    );

    it('accepts the old blooio-inbound path', async () => {
      const response = await postSigned(
        app,
        tenant.webhookSecret,
        inboundPayload(tenant.receivingNumber),
        { url: '/webhooks/blooio-inbound' },
      );

      expect(response.statusCode).toBe(200);
    });

    it('accepts any valid v1 among several', async () => {
      const body = Buffer.from(JSON.stringify(inboundPayload(tenant.receivingNumber)));
      const timestamp = nowSeconds();
      const valid = nodeSignature(tenant.webhookSecret, timestamp, body);
      const response = await post(app, body, {
        'x-blooio-signature': `t=${timestamp},v0=deadbeef,v1=${'0'.repeat(64)},v2=${valid},v1=${valid}`,
      });

      expect(response.statusCode).toBe(200);
    });

    it('accepts a timestamp inside the tolerance', async () => {
      const past = await postSigned(
        app,
        tenant.webhookSecret,
        inboundPayload(tenant.receivingNumber),
        { timestamp: nowSeconds() - 290 },
      );
      const future = await postSigned(
        app,
        tenant.webhookSecret,
        inboundPayload(tenant.receivingNumber),
        { timestamp: nowSeconds() + 290 },
      );

      expect(past.statusCode).toBe(200);
      expect(future.statusCode).toBe(200);
    });

    it('normalises a formatted internal_id', async () => {
      const digits = tenant.receivingNumber.slice(1);
      const response = await postSigned(
        app,
        tenant.webhookSecret,
        inboundPayload(`${digits.slice(0, 1)} ${digits.slice(1, 4)} ${digits.slice(4)}`),
      );

      expect(response.statusCode).toBe(200);
    });
  });

  describe('rejected', () => {
    const cases: [string, (body: Buffer) => Record<string, string>][] = [
      ['a missing header', () => ({})],
      ['an empty header', () => ({ 'x-blooio-signature': '' })],
      ['a header without v1', () => ({ 'x-blooio-signature': `t=${nowSeconds()}` })],
      ['a header without t', () => ({ 'x-blooio-signature': `v1=${'a'.repeat(64)}` })],
      [
        'a stale timestamp',
        (body) => {
          const timestamp = nowSeconds() - 301;

          return {
            'x-blooio-signature': `t=${timestamp},v1=${nodeSignature(tenant.webhookSecret, timestamp, body)}`,
          };
        },
      ],
      [
        'a future timestamp',
        (body) => {
          const timestamp = nowSeconds() + 301;

          return {
            'x-blooio-signature': `t=${timestamp},v1=${nodeSignature(tenant.webhookSecret, timestamp, body)}`,
          };
        },
      ],
      [
        'a signature one hex digit short',
        (body) => {
          const timestamp = nowSeconds();

          return {
            'x-blooio-signature': `t=${timestamp},v1=${nodeSignature(tenant.webhookSecret, timestamp, body).slice(1)}`,
          };
        },
      ],
      [
        'a signature one byte long',
        (body) => {
          const timestamp = nowSeconds();

          return {
            'x-blooio-signature': `t=${timestamp},v1=${nodeSignature(tenant.webhookSecret, timestamp, body)}00`,
          };
        },
      ],
      ['a 2-digit signature', () => ({ 'x-blooio-signature': `t=${nowSeconds()},v1=ab` })],
      [
        'a non-hex signature',
        () => ({ 'x-blooio-signature': `t=${nowSeconds()},v1=${'z'.repeat(64)}` }),
      ],
      [
        'another secret',
        (body) => {
          const timestamp = nowSeconds();

          return {
            'x-blooio-signature': `t=${timestamp},v1=${nodeSignature('whsec_wrong', timestamp, body)}`,
          };
        },
      ],
      [
        'a signature of another timestamp',
        (body) => {
          const timestamp = nowSeconds();

          return {
            'x-blooio-signature': `t=${timestamp},v1=${nodeSignature(tenant.webhookSecret, timestamp - 1, body)}`,
          };
        },
      ],
    ];

    it.each(cases)('rejects %s with 401', async (_, headersFor) => {
      const body = Buffer.from(JSON.stringify(inboundPayload(tenant.receivingNumber)));
      const before = await countRows();
      const response = await post(app, body, headersFor(body));

      expect(response.statusCode).toBe(401);
      expect(withoutRequestId(response)).toEqual({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Invalid webhook signature',
      });
      expect(await countRows()).toEqual(before);
    });

    it('rejects a re-serialised body', async () => {
      const payload = inboundPayload(tenant.receivingNumber);
      const signed = Buffer.from(JSON.stringify(payload, null, 2));
      const sent = Buffer.from(JSON.stringify(payload));
      const timestamp = nowSeconds();
      const response = await post(app, sent, {
        'x-blooio-signature': `t=${timestamp},v1=${nodeSignature(tenant.webhookSecret, timestamp, signed)}`,
      });

      expect(response.statusCode).toBe(401);
    });

    it('rejects a body changed after signing', async () => {
      const payload = inboundPayload(tenant.receivingNumber);
      const body = Buffer.from(JSON.stringify(payload));
      const timestamp = nowSeconds();
      const header = `t=${timestamp},v1=${nodeSignature(tenant.webhookSecret, timestamp, body)}`;
      const tampered = Buffer.from(JSON.stringify({ ...payload, text: 'Send me money' }));
      const response = await post(app, tampered, { 'x-blooio-signature': header });

      expect(response.statusCode).toBe(401);
    });

    it('gives unknown numbers and bad signatures one body', async () => {
      const suspended = await seedTenant({ status: 'suspended' });
      const unknown = await postSigned(app, tenant.webhookSecret, inboundPayload(uniqueNumber()));
      const badSignature = await postSigned(
        app,
        'whsec_wrong',
        inboundPayload(tenant.receivingNumber),
      );
      const suspendedTenant = await postSigned(
        app,
        suspended.webhookSecret,
        inboundPayload(suspended.receivingNumber),
      );
      const noInternalId = await postSigned(app, tenant.webhookSecret, {
        event: 'message.received',
      });
      const arrayBody = await postSigned(app, tenant.webhookSecret, [1, 2] as never);

      for (const response of [unknown, suspendedTenant, noInternalId, arrayBody]) {
        expect(response.statusCode).toBe(401);
        expect(withoutRequestId(response)).toEqual(withoutRequestId(badSignature));
      }

      expect(badSignature.statusCode).toBe(401);
    });
  });

  describe('body rules', () => {
    it.each([
      [
        'a non-JSON content type',
        { 'content-type': 'text/plain' },
        'event=message.received',
        'Unsupported Media Type',
      ],
      [
        'a compressed body',
        { 'content-type': 'application/json', 'content-encoding': 'gzip' },
        '{"event":"message.received"}',
        'Content-Encoding gzip is not supported: send the body uncompressed',
      ],
    ])('rejects %s with 415', async (_, headers, payload, message) => {
      const response = await app.inject({
        method: 'POST',
        url: '/webhooks/blooio',
        headers,
        payload,
      });

      expect(response.statusCode).toBe(415);
      expect(withoutRequestId(response)).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message,
      });
    });

    it('rejects a missing body with 415', async () => {
      const response = await app.inject({ method: 'POST', url: '/webhooks/blooio' });

      expect(response.statusCode).toBe(415);
    });

    it('rejects a body over 256 KiB with 413', async () => {
      const payload = inboundPayload(tenant.receivingNumber, { text: 'x'.repeat(256 * 1024) });
      const response = await postSigned(app, tenant.webhookSecret, payload);

      expect(response.statusCode).toBe(413);
      expect(withoutRequestId(response)).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'Request body is too large',
      });
    });

    it('accepts a body just under 256 KiB', async () => {
      const payload = inboundPayload(tenant.receivingNumber, { text: '' });
      const room = 256 * 1024 - Buffer.byteLength(JSON.stringify(payload));
      const response = await postSigned(app, tenant.webhookSecret, {
        ...payload,
        text: 'y'.repeat(room),
      });

      expect(response.statusCode).toBe(200);
    });

    it('rejects malformed JSON with 400', async () => {
      const response = await postSigned(app, tenant.webhookSecret, '{"event": "message.rec');

      expect(response.statusCode).toBe(400);
      expect(withoutRequestId(response)).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'Body is not valid JSON',
      });
    });

    it('rejects an empty JSON body with 400', async () => {
      const response = await postSigned(app, tenant.webhookSecret, '');

      expect(response.statusCode).toBe(400);
    });
  });

  describe('secret rotation', () => {
    let rotationApp: NestFastifyApplication;

    beforeAll(async () => {
      rotationApp = await createTestApp({ env: { WEBHOOK_SECRET_REFRESH_SECONDS: '0' } });
    });

    afterAll(async () => {
      await rotationApp.close();
    });

    it('accepts old and new inside the window only', async () => {
      const rotated = await seedTenant();
      const newSecret = 'whsec_rotated_secret_value';
      const send = (secret: string): Promise<LightMyRequestResponse> =>
        postSigned(rotationApp, secret, inboundPayload(rotated.receivingNumber));

      expect((await send(rotated.webhookSecret)).statusCode).toBe(200);

      await rotateSecret(rotated, newSecret, 1500);

      expect((await send(newSecret)).statusCode).toBe(200);
      expect((await send(rotated.webhookSecret)).statusCode).toBe(200);

      await new Promise((resolve) => setTimeout(resolve, 1600));

      expect((await send(rotated.webhookSecret)).statusCode).toBe(401);
      expect((await send(newSecret)).statusCode).toBe(200);
    });

    it('rejects the old secret when the window is closed', async () => {
      const rotated = await seedTenant();
      const newSecret = 'whsec_rotated_without_window';

      await rotateSecret(rotated, newSecret, -1000);

      expect(
        (
          await postSigned(
            rotationApp,
            rotated.webhookSecret,
            inboundPayload(rotated.receivingNumber),
          )
        ).statusCode,
      ).toBe(401);
      expect(
        (await postSigned(rotationApp, newSecret, inboundPayload(rotated.receivingNumber)))
          .statusCode,
      ).toBe(200);
    });
  });

  describe('database use', () => {
    it('leaves the database alone for cached forgeries', async () => {
      const resolver = app.get(TenantResolver);
      const repository = app.get(WebhookTenantRepository);
      const known = await seedTenant();
      const unknownNumber = uniqueNumber();

      await postSigned(app, known.webhookSecret, inboundPayload(known.receivingNumber));
      await postSigned(app, 'whsec_forged', inboundPayload(unknownNumber));

      const lookups = jest.spyOn(resolver, 'byReceivingNumber');
      const secretLoads = jest.spyOn(repository, 'findSettings');

      try {
        const forged = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            postSigned(
              app,
              'whsec_forged',
              inboundPayload(i % 2 === 0 ? known.receivingNumber : unknownNumber),
            ),
          ),
        );

        expect(forged.every((response) => response.statusCode === 401)).toBe(true);
        // One reload of the known number's secrets is allowed per refresh interval.
        expect(lookups.mock.calls.length).toBeLessThanOrEqual(1);
        expect(secretLoads.mock.calls.length).toBeLessThanOrEqual(1);
      } finally {
        lookups.mockRestore();
        secretLoads.mockRestore();
      }
    });

    it('never looks up malformed or stale requests', async () => {
      const resolver = app.get(TenantResolver);
      const lookups = jest.spyOn(resolver, 'byReceivingNumber');
      const body = Buffer.from(JSON.stringify(inboundPayload(uniqueNumber())));

      try {
        await post(app, body, { 'x-blooio-signature': 'garbage' });
        await post(app, body, {
          'x-blooio-signature': `t=${nowSeconds() - 3600},v1=${'a'.repeat(64)}`,
        });
        await post(app, Buffer.from('{"internal_id": 5}'), {
          'x-blooio-signature': `t=${nowSeconds()},v1=${'a'.repeat(64)}`,
        });

        expect(lookups).not.toHaveBeenCalled();
      } finally {
        lookups.mockRestore();
      }
    });
  });
});
