import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';

import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { countRows, queryRows } from './support/row-counts';

interface LeadBody {
  contactId: string;
  opportunityId: string;
  pipelineId: string;
  opportunityStatus: string;
  contactCreated: boolean;
  opportunityCreated: boolean;
}

let phoneCounter = 0;

/** Returns a valid US number (415 555 01xx is reserved for fiction) unique within this file. */
function freshPhone(): string {
  phoneCounter += 1;

  return `+1415555${String(2000 + phoneCounter).padStart(4, '0')}`;
}

describe('Lead intake', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await app.close();
  });

  function postLead(
    body: unknown,
    options: { url?: string; key?: string | null; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const key = options.key === undefined ? tenant.apiKey : options.key;

    return app.inject({
      method: 'POST',
      url: options.url ?? '/webhooks/lead-intake',
      headers: {
        'content-type': 'application/json',
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...options.headers,
      },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  describe('creation', () => {
    it('creates contact and opportunity', async () => {
      const response = await postLead({
        name: ' Jane Doe ',
        phone: '(415) 555-2671',
        email: 'Jane.Doe@Example.com',
        source: 'website-form',
        consent: { given: true, at: '2026-12-01T10:00:00Z', wording: 'I agree to texts.' },
        utm: { source: 'google', medium: 'cpc', campaign: 'spring' },
        tags: ['new-patient', 'new-patient', 'whitening'],
      });
      const body = response.json<LeadBody>();

      expect(response.statusCode).toBe(201);
      expect(body.pipelineId).toBe(tenant.pipelineId);
      expect(body.opportunityStatus).toBe('new');
      expect(body.contactCreated).toBe(true);
      expect(body.opportunityCreated).toBe(true);

      const [contact] = await queryRows(
        `SELECT phone, email, name, source, consent_given, consent_at, consent_text, utm, tags
         FROM contacts WHERE id = $1 AND tenant_id = $2`,
        [body.contactId, tenant.tenantId],
      );

      expect(contact).toEqual({
        phone: '+14155552671',
        email: 'jane.doe@example.com',
        name: 'Jane Doe',
        source: 'website-form',
        consent_given: true,
        consent_at: new Date('2026-12-01T10:00:00Z'),
        consent_text: 'I agree to texts.',
        utm: { source: 'google', medium: 'cpc', campaign: 'spring' },
        tags: ['new-patient', 'whitening'],
      });

      const [opportunity] = await queryRows(
        'SELECT status, pipeline_id, contact_id, source FROM opportunities WHERE id = $1',
        [body.opportunityId],
      );

      expect(opportunity).toEqual({
        status: 'new',
        pipeline_id: tenant.pipelineId,
        contact_id: body.contactId,
        source: 'website-form',
      });
    });

    it('drops NUL characters from a name', async () => {
      const response = await postLead('{"phone":"+14155550131","name":"a\\u0000b"}');

      expect(response.statusCode).toBe(201);
      expect(response.json<LeadBody>().contactId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('accepts the old /lead-intake path', async () => {
      const response = await postLead({ phone: freshPhone() }, { url: '/lead-intake' });

      expect(response.statusCode).toBe(201);
    });

    it('accepts an email-only lead', async () => {
      const response = await postLead({ email: `lead-${randomUUID()}@example.com` });

      expect(response.statusCode).toBe(201);
    });

    it('reuses contact and open opportunity', async () => {
      const phone = freshPhone();
      const first = (await postLead({ phone, tags: ['a'] })).json<LeadBody>();
      const second = await postLead({ phone, name: 'Sam', tags: ['b'] });
      const body = second.json<LeadBody>();

      expect(second.statusCode).toBe(201);
      expect(body.contactId).toBe(first.contactId);
      expect(body.opportunityId).toBe(first.opportunityId);
      expect(body.contactCreated).toBe(false);
      expect(body.opportunityCreated).toBe(false);

      const [contact] = await queryRows('SELECT name, tags FROM contacts WHERE id = $1', [
        body.contactId,
      ]);

      expect(contact).toEqual({ name: 'Sam', tags: ['a', 'b'] });
    });

    it('opens a new opportunity after a lost one', async () => {
      const phone = freshPhone();
      const first = (await postLead({ phone })).json<LeadBody>();

      await queryRows(`UPDATE opportunities SET status = 'lost' WHERE id = $1`, [
        first.opportunityId,
      ]);

      const second = (await postLead({ phone })).json<LeadBody>();

      expect(second.contactId).toBe(first.contactId);
      expect(second.opportunityId).not.toBe(first.opportunityId);
      expect(second.opportunityCreated).toBe(true);
    });

    it('keeps an email owned by another contact', async () => {
      const email = `shared-${randomUUID()}@example.com`;
      const owner = (await postLead({ email })).json<LeadBody>();
      const other = await postLead({ phone: freshPhone(), email });

      expect(other.statusCode).toBe(201);
      expect(other.json<LeadBody>().contactId).toBe(owner.contactId);
    });

    it('gives a new email to one of two concurrent leads', async () => {
      for (let round = 0; round < 15; round += 1) {
        const phones = [freshPhone(), freshPhone()];
        const email = `race-${randomUUID()}@example.com`;

        await Promise.all(phones.map((phone) => postLead({ phone })));
        const responses = await Promise.all(phones.map((phone) => postLead({ phone, email })));
        const owners = await queryRows(
          'SELECT phone FROM contacts WHERE tenant_id = $1 AND email = $2',
          [tenant.tenantId, email],
        );

        expect(responses.map((response) => response.statusCode)).toEqual([201, 201]);
        expect(owners).toHaveLength(1);
      }
    });

    it("reads national numbers with the tenant's region", async () => {
      const british = await seedTenant();

      await queryRows(`UPDATE tenants SET default_region = 'GB' WHERE id = $1`, [british.tenantId]);

      const response = await postLead({ phone: '07911 123456' }, { key: british.apiKey });
      const [contact] = await queryRows('SELECT phone FROM contacts WHERE id = $1', [
        response.json<LeadBody>().contactId,
      ]);

      expect(response.statusCode).toBe(201);
      expect(contact.phone).toBe('+447911123456');
    });

    it('answers 409 without a default pipeline', async () => {
      const bare = await seedTenant();

      await queryRows('UPDATE pipelines SET is_default = false WHERE tenant_id = $1', [
        bare.tenantId,
      ]);

      const before = await countRows();
      const response = await postLead({ phone: freshPhone() }, { key: bare.apiKey });

      expect(response.statusCode).toBe(409);
      expect(response.json().message).toMatch(/default pipeline/);
      expect(await countRows()).toEqual(before);
    });
  });

  describe('authentication', () => {
    it('rejects a missing key', async () => {
      const response = await postLead({ phone: freshPhone() }, { key: null });

      expect(response.statusCode).toBe(401);
    });

    it('rejects an unknown key', async () => {
      const response = await postLead(
        { phone: freshPhone() },
        { key: `aias_AAAAAAAAAAAA_${'x'.repeat(43)}` },
      );

      expect(response.statusCode).toBe(401);
    });

    it('rejects a read-only key', async () => {
      const response = await postLead({ phone: freshPhone() }, { key: tenant.readKey });

      expect(response.statusCode).toBe(403);
    });

    it('accepts X-Api-Key', async () => {
      const response = await postLead(
        { phone: freshPhone() },
        { key: null, headers: { 'x-api-key': tenant.apiKey } },
      );

      expect(response.statusCode).toBe(201);
    });
  });

  describe('validation', () => {
    it.each([
      [
        'consent.given as the string "false"',
        { consent: { given: 'false' } },
        /consent.given must be a boolean/,
      ],
      [
        'consent.given as the string "true"',
        { consent: { given: 'true' } },
        /consent.given must be a boolean/,
      ],
      ['consent.given as 0', { consent: { given: 0 } }, /consent.given must be a boolean/],
      ['consent without given', { consent: {} }, /consent.given must be a boolean/],
      ['consent as an array', { consent: [{ given: true }] }, /consent must be an object/],
      ['consent.at not ISO 8601', { consent: { given: true, at: 'yesterday' } }, /consent.at/],
      ['consent.at as a week date', { consent: { given: true, at: '2026-W05-3' } }, /consent.at/],
      [
        'consent.at past year 9999',
        { consent: { given: true, at: '9999-12-31T23:59:59-14:00' } },
        /consent.at/,
      ],
      [
        'consent.at without a time zone',
        { consent: { given: true, at: '2026-12-01T10:00:00' } },
        /consent.at/,
      ],
      ['an unknown property', { admin: true }, /property admin should not exist/],
      [
        'an unknown nested property',
        { utm: { source: 'x', evil: 1 } },
        /utm.property evil should not exist/,
      ],
      ['utm as a string', { utm: 'google' }, /utm must be an object/],
      [
        'too many tags',
        { tags: Array.from({ length: 21 }, (_, i) => `t${i}`) },
        /tags must contain no more than 20/,
      ],
      [
        'a long tag',
        { tags: ['x'.repeat(51)] },
        /each value in tags must be longer than or equal to 1 and shorter than or equal to 50/,
      ],
      ['a non-string tag', { tags: [1] }, /each value in tags must be a string/],
      ['a numeric name', { name: 42 }, /name must be a string/],
      ['an invalid email', { email: 'not-an-email' }, /email must be an email/],
      [
        'an email with a lone surrogate',
        { email: 'a\ud83d@example.com' },
        /email must be an email/,
      ],
      ['an invalid phone', { phone: '555-0000' }, /phone is not a valid phone number in region US/],
      ['no phone and no email', { phone: undefined, name: 'Nobody' }, /phone or email is required/],
    ])('rejects %s', async (_, extra, message) => {
      // JSON.stringify drops properties set to undefined, so a case can remove the phone.
      const body = { phone: freshPhone(), ...extra };
      const before = await countRows();
      const response = await postLead(body);

      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toMatch(message);
      expect(await countRows()).toEqual(before);
    });

    it.each([null, [], 'lead', 42, true])('rejects the body %j', async (body) => {
      const response = await postLead(JSON.stringify(body));

      expect(response.statusCode).toBe(400);
    });

    it('rejects malformed JSON', async () => {
      const response = await postLead('{"phone": ');

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('rejects a text/plain body with 415', async () => {
      const response = await postLead('phone=1', { headers: { 'content-type': 'text/plain' } });

      expect(response.statusCode).toBe(415);
      expect(response.json()).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type' });
    });

    it('ignores __proto__, constructor and prototype keys', async () => {
      const phone = freshPhone();
      const response = await postLead(
        `{"phone":"${phone}","__proto__":{"polluted":true,"name":"Mallory"},` +
          `"constructor":{"prototype":{"polluted":true}},"prototype":{"name":"Mallory"},` +
          `"consent":{"given":true,"__proto__":{"given":false},"constructor":{"given":false}}}`,
      );
      const [contact] = await queryRows('SELECT name, consent_given FROM contacts WHERE id = $1', [
        response.json<LeadBody>().contactId,
      ]);

      expect(response.statusCode).toBe(201);
      expect(contact).toEqual({ name: null, consent_given: true });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('rejects deeply nested JSON', async () => {
      const depth = 50_000;
      const response = await postLead(
        `{"phone":"${freshPhone()}","utm":{"source":${'['.repeat(depth)}${']'.repeat(depth)}}}`,
      );

      expect(response.statusCode).toBe(400);
    });

    it('rejects an invalid Idempotency-Key', async () => {
      const response = await postLead(
        { phone: freshPhone() },
        { headers: { 'idempotency-key': 'k'.repeat(256) } },
      );

      expect(response.statusCode).toBe(400);
      expect(response.json().message).toMatch(/Idempotency-Key/);
    });
  });

  describe('idempotency', () => {
    it('replays a retry with the same key', async () => {
      const key = randomUUID();
      const lead = { phone: freshPhone(), name: 'Retry' };
      const first = await postLead(lead, { headers: { 'idempotency-key': key } });
      const before = await countRows();
      const second = await postLead(lead, { headers: { 'idempotency-key': key } });

      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(200);
      expect(second.headers['idempotent-replayed']).toBe('true');
      expect(second.json()).toEqual(first.json());
      expect(await countRows()).toEqual(before);
    });

    it('replays a retry with the same externalId', async () => {
      const lead = { phone: freshPhone(), externalId: `crm-${randomUUID()}` };
      const first = await postLead(lead);
      const second = await postLead({ externalId: lead.externalId, phone: lead.phone });

      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first.json());
    });

    it('rejects a reused key with another body', async () => {
      const key = randomUUID();

      await postLead({ phone: freshPhone() }, { headers: { 'idempotency-key': key } });

      const before = await countRows();
      const response = await postLead(
        { phone: freshPhone() },
        { headers: { 'idempotency-key': key } },
      );

      expect(response.statusCode).toBe(422);
      expect(await countRows()).toEqual(before);
    });

    it('keeps keys apart per tenant', async () => {
      const other = await seedTenant();
      const key = randomUUID();
      const first = await postLead(
        { phone: freshPhone() },
        { headers: { 'idempotency-key': key } },
      );
      const second = await postLead(
        { phone: freshPhone() },
        { key: other.apiKey, headers: { 'idempotency-key': key } },
      );

      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(201);
    });

    it('creates once under 20 concurrent retries', async () => {
      const key = randomUUID();
      const lead = { phone: freshPhone(), source: 'concurrency' };
      const before = await countRows();
      const responses = await Promise.all(
        Array.from({ length: 20 }, () => postLead(lead, { headers: { 'idempotency-key': key } })),
      );
      const statuses = responses.map((response) => response.statusCode).sort();
      const after = await countRows();

      expect(statuses).toEqual([200, ...Array<number>(18).fill(200), 201].sort());
      expect(
        new Set(responses.map((response) => response.json<LeadBody>().opportunityId)).size,
      ).toBe(1);
      expect(after.contacts - before.contacts).toBe(1);
      expect(after.opportunities - before.opportunities).toBe(1);
      expect(after.webhook_events - before.webhook_events).toBe(1);
    });

    it('creates one contact under concurrent keyless leads', async () => {
      const phone = freshPhone();
      const before = await countRows();
      const responses = await Promise.all(Array.from({ length: 10 }, () => postLead({ phone })));
      const after = await countRows();

      expect(responses.every((response) => response.statusCode === 201)).toBe(true);
      expect(after.contacts - before.contacts).toBe(1);
      expect(after.opportunities - before.opportunities).toBe(1);
    });
  });
});
