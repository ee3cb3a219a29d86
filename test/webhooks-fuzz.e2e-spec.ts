import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { InjectOptions } from 'fastify';

import { inboundPayload, nodeSignature, nowSeconds } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { deepJson, SeededRandom } from './support/fuzz';
import { countRows } from './support/row-counts';

interface FuzzCase {
  kind: string;
  request: InjectOptions;
  /** Every status this input may get; all are rejections, so nothing may be written. */
  expected: number[];
}

const seed = Number(process.env.FUZZ_SEED ?? 20261204);
const requestCount = Number(process.env.FUZZ_REQUESTS ?? 1200);
const batchSize = 20;
const blooioUrls = ['/webhooks/blooio', '/webhooks/blooio-inbound'];
const leadUrls = ['/webhooks/lead-intake', '/lead-intake'];
const otherContentTypes = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  'application/octet-stream',
  'text/html; charset=utf-8',
  'application/jsonx',
  'image/png',
];
// Signs of leaked internals: stack frames, source paths, ORM, SQL and driver details.
const leakPatterns = [
  /\n\s+at /,
  /\bat \S+ \(/,
  /\.ts:\d/,
  /\.js:\d/,
  /node_modules/,
  /prisma/i,
  /\bSELECT\b|\bINSERT\b|\bUPDATE\b/,
  /postgres/i,
  /violates|constraint/i,
  /stack/i,
  /Internal server error/i,
];

describe('Webhook fuzzing', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;
  const random = new SeededRandom(seed);

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await app.close();
  });

  function signed(body: Buffer, secret = tenant.webhookSecret, timestamp = nowSeconds()): string {
    return `t=${timestamp},v1=${nodeSignature(secret, timestamp, body)}`;
  }

  function blooioRequest(body: Buffer, headers: Record<string, string>): InjectOptions {
    return {
      method: 'POST',
      url: random.pick(blooioUrls),
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    };
  }

  function leadRequest(body: Buffer | string, headers: Record<string, string>): InjectOptions {
    return {
      method: 'POST',
      url: random.pick(leadUrls),
      headers: { 'content-type': 'application/json', ...headers },
      payload: body,
    };
  }

  function randomSignatureHeader(body: Buffer): string {
    const timestamp = nowSeconds();
    const valid = nodeSignature(tenant.webhookSecret, timestamp, body);

    return random.pick([
      random.string(80),
      `t=${timestamp}`,
      `v1=${valid}`,
      `t=${timestamp},v1=${valid.slice(0, random.int(0, 63))}`,
      `t=${timestamp},v1=${valid}${random.string(3)}x`,
      `t=${timestamp + 1},v1=${valid}`,
      `t=${timestamp},t=${timestamp},v1=${valid}`,
      `t=${timestamp - 10_000},v1=${nodeSignature(tenant.webhookSecret, timestamp - 10_000, body)}`,
      `t=${random.string(12)},v1=${valid}`,
      `${','.repeat(random.int(1, 50))}`,
      `t=${timestamp},v1=${nodeSignature('whsec_forged', timestamp, body)}`,
    ]);
  }

  /** A valid message.received with one required field broken, so validation must reject it. */
  function brokenPayload(): Record<string, unknown> {
    const payload: Record<string, unknown> = inboundPayload(tenant.receivingNumber);
    const junk = random.json(2);

    for (let i = random.int(0, 4); i > 0; i -= 1) {
      payload[`x_${i}`] = random.json(3);
    }

    const breakers: (() => void)[] = [
      () => delete payload.message_id,
      () => (payload.message_id = typeof junk === 'string' && junk.length > 0 ? 42 : junk),
      () => (payload.message_id = ''),
      () => (payload.message_id = 'm'.repeat(257)),
      () => delete payload.event,
      () => (payload.event = random.pick([1, null, {}, [], true])),
      () => delete payload.external_id,
      () =>
        (payload.external_id = random.pick([
          '12345',
          'a@',
          '@b',
          '',
          'not a phone',
          '+1',
          '00',
          'x\ud83d@example.com',
          `${random.string(20)}@`,
        ])),
      () => (payload.text = random.pick([1, {}, [], true])),
      () => (payload.attachments = random.pick(['https://x', 1, [1], [{ name: 'x' }], [[]], {}])),
      () => (payload.is_group = random.pick(['true', 1, 'yes', {}])),
      () => (payload.received_at = random.pick(['soon', {}, [], '1e12', true])),
      () => (payload.error_code = random.pick([{}, [], true])),
      () => (payload.protocol = 'p'.repeat(33)),
    ];

    random.pick(breakers)();

    return payload;
  }

  const builders: (() => FuzzCase)[] = [
    () => {
      const body = Buffer.from(JSON.stringify(random.json(5)) ?? 'null');

      return {
        kind: 'blooio random JSON, bad signature',
        request: blooioRequest(body, { 'x-blooio-signature': randomSignatureHeader(body) }),
        expected: [401],
      };
    },
    () => {
      const body = random.bytes(random.int(0, 300));

      return {
        kind: 'blooio random bytes',
        request: blooioRequest(body, {
          [random.pick(['x-blooio-signature', 'blooio-signature'])]: random.chance(0.5)
            ? signed(body)
            : randomSignatureHeader(body),
        }),
        expected: [400, 401],
      };
    },
    () => {
      const body = Buffer.from(JSON.stringify(brokenPayload()));

      return {
        kind: 'blooio signed, invalid field',
        request: blooioRequest(body, { 'x-blooio-signature': signed(body) }),
        expected: [400],
      };
    },
    () => {
      const text = JSON.stringify(inboundPayload(tenant.receivingNumber));
      const body = Buffer.from(text.slice(0, random.int(0, text.length - 1)));

      return {
        kind: 'blooio signed, truncated JSON',
        request: blooioRequest(body, { 'x-blooio-signature': signed(body) }),
        expected: [400],
      };
    },
    () => {
      const payload = JSON.stringify(brokenPayload()).replace(
        /}$/,
        `,"x_deep":${deepJson(random.int(1000, 60_000))}}`,
      );
      const body = Buffer.from(payload);

      return {
        kind: 'blooio signed, deep unknown field',
        request: blooioRequest(body, { 'x-blooio-signature': signed(body) }),
        expected: [400, 413],
      };
    },
    () => {
      const body = Buffer.from(JSON.stringify(inboundPayload(tenant.receivingNumber)));

      return {
        kind: 'blooio wrong content type',
        request: {
          ...blooioRequest(body, { 'x-blooio-signature': signed(body) }),
          headers: {
            'content-type': random.pick(otherContentTypes),
            'x-blooio-signature': signed(body),
          },
        },
        expected: [415],
      };
    },
    () => {
      const body = Buffer.from(
        JSON.stringify(
          inboundPayload(tenant.receivingNumber, {
            text: 'z'.repeat(256 * 1024 + random.int(1, 5000)),
          }),
        ),
      );

      return {
        kind: 'blooio oversized',
        request: blooioRequest(body, { 'x-blooio-signature': signed(body) }),
        expected: [413],
      };
    },
    () => ({
      kind: 'lead bad key',
      request: leadRequest(JSON.stringify({ phone: '+14155552671', name: random.string(20) }), {
        ...random.pick<Record<string, string>>([
          {},
          { authorization: `Bearer ${random.string(30)}` },
          { authorization: `Bearer aias_${'A'.repeat(12)}_${'b'.repeat(43)}` },
          { authorization: random.string(20) },
          { 'x-api-key': random.string(60) },
          { authorization: `Bearer ${tenant.apiKey.slice(0, -1)}x` },
        ]),
      }),
      expected: [401],
    }),
    () => ({
      kind: 'lead read-only key',
      request: leadRequest(JSON.stringify({ phone: '+14155552671' }), {
        authorization: `Bearer ${tenant.readKey}`,
      }),
      expected: [403],
    }),
    () => {
      const invalidBodies: (() => unknown)[] = [
        () => random.json(4),
        () => ({ phone: '+14155552671', [`x_${random.int(0, 99)}`]: random.json(3) }),
        () => ({
          phone: '+14155552671',
          consent: { given: random.pick(['false', 'true', 0, 1, null, 'no']) },
        }),
        () => ({
          phone: random.pick(['12', '555', 'phone', '+99999999999999', random.string(10) + 'x']),
        }),
        () => ({
          email: random.pick(['a@', '@b.c', 'plain', `${random.string(5)}@@x`, 'a\ude00@b.co']),
        }),
        () => ({ name: random.string(30) }),
        () => ({
          phone: '+14155552671',
          tags: Array.from({ length: random.int(21, 200) }, () => 'tag'),
        }),
        () => ({ phone: '+14155552671', tags: [random.json(2), 'x'.repeat(51)] }),
        () => ({
          phone: '+14155552671',
          utm: random.pick(['google', 1, [], { source: 1 }, { evil: 'x' }]),
        }),
        () => ({
          phone: '+14155552671',
          consent: random.pick(['yes', [], 1, { given: true, at: 'later' }]),
        }),
        () => ({ phone: '+14155552671', externalId: random.pick(['', 1, {}, 'e'.repeat(201)]) }),
        () => ({ phone: '+14155552671', name: 'n'.repeat(201) }),
      ];
      const candidate = random.pick(invalidBodies)();
      const body = JSON.stringify(candidate) ?? 'null';
      // A random object could be valid by chance only if it had phone or email; it never does.
      const isObjectWithoutContact =
        typeof candidate === 'object' && candidate !== null && !Array.isArray(candidate);

      return {
        kind: `lead invalid body${isObjectWithoutContact ? '' : ' (non-object)'}`,
        request: leadRequest(body, { authorization: `Bearer ${tenant.apiKey}` }),
        expected: [400],
      };
    },
    () => ({
      kind: 'lead deep JSON',
      request: leadRequest(`{"phone":"+14155552671","utm":${deepJson(random.int(33, 50_000))}}`, {
        authorization: `Bearer ${tenant.apiKey}`,
      }),
      expected: [400],
    }),
    () => {
      const text = JSON.stringify({ phone: '+14155552671', name: random.string(10) });

      return {
        kind: 'lead malformed JSON',
        request: leadRequest(
          random.pick([
            text.slice(0, random.int(0, text.length - 1)),
            random.bytes(random.int(1, 100)).toString('latin1'),
          ]),
          { authorization: `Bearer ${tenant.apiKey}` },
        ),
        expected: [400],
      };
    },
    () => ({
      kind: 'lead wrong content type',
      request: {
        ...leadRequest('phone=%2B14155552671', { authorization: `Bearer ${tenant.apiKey}` }),
        headers: {
          'content-type': random.pick(otherContentTypes),
          authorization: `Bearer ${tenant.apiKey}`,
        },
      },
      expected: [415],
    }),
    () => ({
      kind: 'lead oversized',
      request: leadRequest(
        JSON.stringify({ phone: '+14155552671', name: 'n'.repeat(256 * 1024) }),
        {
          authorization: `Bearer ${tenant.apiKey}`,
        },
      ),
      expected: [413],
    }),
    () => ({
      kind: 'lead invalid Idempotency-Key',
      request: leadRequest(JSON.stringify({ phone: '+14155552671' }), {
        authorization: `Bearer ${tenant.apiKey}`,
        'idempotency-key': random.pick(['k'.repeat(256), 'has space', 'tab\there', '']),
      }),
      expected: [400],
    }),
  ];

  it(`rejects ${requestCount} fuzzed requests cleanly`, async () => {
    const before = await countRows();
    const problems: string[] = [];
    const statuses = new Map<number, number>();
    let sent = 0;

    while (sent < requestCount) {
      const batch = Array.from({ length: Math.min(batchSize, requestCount - sent) }, () =>
        random.pick(builders)(),
      );
      const responses = await Promise.all(batch.map((fuzz) => app.inject(fuzz.request)));

      responses.forEach((response, index) => {
        const fuzz = batch[index];
        const leak = leakPatterns.find((pattern) => pattern.test(response.body));

        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);

        if (!fuzz.expected.includes(response.statusCode)) {
          problems.push(
            `${fuzz.kind}: status ${response.statusCode}, body ${response.body.slice(0, 200)}`,
          );
        }

        if (leak) {
          problems.push(
            `${fuzz.kind}: body matches ${String(leak)}: ${response.body.slice(0, 200)}`,
          );
        }

        if (
          response.statusCode >= 400 &&
          response.json<{ statusCode?: number }>().statusCode !== response.statusCode
        ) {
          problems.push(
            `${fuzz.kind}: body is not the standard error body: ${response.body.slice(0, 200)}`,
          );
        }
      });
      sent += batch.length;
    }

    expect(problems).toEqual([]);
    expect(statuses.get(500) ?? 0).toBe(0);
    expect([...statuses.keys()].sort()).toEqual([400, 401, 403, 413, 415]);
    expect(await countRows()).toEqual(before);
  }, 180_000);
});
