import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { seedConversations, seedMessages, timesBefore } from './support/tenant-api-fixtures';
import type { SeededConversation } from './support/tenant-api-fixtures';

describe('Conversations API', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;
  let other: SeededTenant;
  let conversations: SeededConversation[];
  let otherConversations: SeededConversation[];

  const get = (url: string, key = tenant.readKey) =>
    app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });

  const idsOf = (body: { data: { id: string }[] }) => body.data.map((row) => row.id);

  beforeAll(async () => {
    app = await createTestApp();
    [tenant, other] = await Promise.all([seedTenant(), seedTenant()]);
    conversations = await seedConversations(
      tenant.tenantId,
      timesBefore(new Date('2026-03-01T12:00:00Z'), 5, 60_000),
    );
    otherConversations = await seedConversations(
      other.tenantId,
      timesBefore(new Date('2026-03-01T12:00:00Z'), 3, 60_000),
    );
  });

  afterAll(async () => {
    await app.close();
  });

  describe('GET /v1/conversations', () => {
    it('lists own conversations newest first', async () => {
      const response = await get('/v1/conversations');
      const body = response.json();

      expect(response.statusCode).toBe(200);
      expect(idsOf(body)).toEqual(conversations.map((c) => c.id).reverse());
      expect(body.nextCursor).toBeNull();
      expect(body.data[0]).toEqual({
        id: conversations[4].id,
        contactId: conversations[4].contactId,
        phone: conversations[4].phone,
        ourNumber: expect.stringMatching(/^\+1415\d{7}$/),
        protocol: null,
        lastMessageAt: null,
        repliesPausedAt: null,
        pausedReason: null,
        createdAt: conversations[4].createdAt.toISOString(),
        updatedAt: conversations[4].createdAt.toISOString(),
      });
    });

    it('never lists another tenant’s conversations', async () => {
      const response = await get('/v1/conversations', other.readKey);

      expect(idsOf(response.json())).toEqual(otherConversations.map((c) => c.id).reverse());
    });

    it('accepts the key in X-Api-Key', async () => {
      const response = await app.inject({
        method: 'GET',
        url: '/v1/conversations',
        headers: { 'x-api-key': tenant.apiKey },
      });

      expect(response.statusCode).toBe(200);
    });

    it('pages with limit and cursor', async () => {
      const first = (await get('/v1/conversations?limit=2')).json();
      const second = (
        await get(`/v1/conversations?limit=2&cursor=${first.nextCursor as string}`)
      ).json();
      const third = (
        await get(`/v1/conversations?limit=2&cursor=${second.nextCursor as string}`)
      ).json();

      expect(idsOf(first)).toEqual([conversations[4].id, conversations[3].id]);
      expect(idsOf(second)).toEqual([conversations[2].id, conversations[1].id]);
      expect(idsOf(third)).toEqual([conversations[0].id]);
      expect(third.nextCursor).toBeNull();
    });

    it('filters by created_at range, from inclusive and to exclusive', async () => {
      const from = conversations[1].createdAt.toISOString();
      const to = conversations[3].createdAt.toISOString();
      const response = await get(`/v1/conversations?createdFrom=${from}&createdTo=${to}`);

      expect(idsOf(response.json())).toEqual([conversations[2].id, conversations[1].id]);
    });

    it('accepts a time-zone offset in the range', async () => {
      const from = encodeURIComponent('2026-03-01T12:58:00+01:00');
      const response = await get(`/v1/conversations?createdFrom=${from}`);

      expect(idsOf(response.json())).toEqual([conversations[4].id, conversations[3].id]);
    });

    it('rejects an empty or reversed range', async () => {
      const at = conversations[2].createdAt.toISOString();
      const response = await get(`/v1/conversations?createdFrom=${at}&createdTo=${at}`);

      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'invalid_time_range',
        message: 'createdFrom must be earlier than createdTo',
      });
    });

    it.each([
      ['limit=0', 'limit must not be less than 1'],
      ['limit=201', 'limit must not be greater than 200'],
      ['limit=ten', 'limit must be an integer'],
      ['limit=1e2', 'limit must be an integer'],
      ['limit=5&limit=6', 'limit must be an integer'],
      ['createdFrom=yesterday', 'createdFrom must be an ISO 8601 timestamp with a time zone'],
      ['createdTo=2026-03-01T12:00:00', 'createdTo must be an ISO 8601 timestamp with a time zone'],
      ['phone=abc', 'phone must contain only digits'],
      ['cursor=not*base64', 'cursor must be a nextCursor value of a previous page'],
      ['sort=asc', 'property sort should not exist'],
    ])('rejects %s', async (query, message) => {
      const response = await get(`/v1/conversations?${query}`);

      expect(response.statusCode).toBe(400);
      expect(JSON.stringify(response.json().message)).toContain(message);
    });

    it.each([
      ['garbage', 'bm90IGpzb24'],
      ['wrong shape', Buffer.from('{"a":1}').toString('base64url')],
      ['bad id', Buffer.from('["2026-03-01T12:00:00.000Z","x"]').toString('base64url')],
      ['bad time', Buffer.from(`["2026-13-01","${randomUUID()}"]`).toString('base64url')],
    ])('rejects a forged cursor (%s)', async (_, cursor) => {
      const response = await get(`/v1/conversations?cursor=${cursor}`);

      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid_cursor');
    });
  });

  describe('phone filter', () => {
    let phoneTenant: SeededTenant;
    let matching: SeededConversation[];

    beforeAll(async () => {
      phoneTenant = await seedTenant();
      matching = await seedConversations(
        phoneTenant.tenantId,
        timesBefore(new Date('2026-03-02T00:00:00Z'), 2),
        { phone: '+14155550123' },
      );
      await seedConversations(phoneTenant.tenantId, timesBefore(new Date(), 3));
    });

    it.each(['%2B14155550123', '(415)%20555-0123', '415.555.0123', '%2B1%20415%20555%200123'])(
      'normalises %s to E.164',
      async (phone) => {
        const response = await get(`/v1/conversations?phone=${phone}`, phoneTenant.readKey);

        expect(response.statusCode).toBe(200);
        expect(idsOf(response.json())).toEqual(matching.map((c) => c.id).reverse());
      },
    );

    it('rejects an impossible number', async () => {
      const response = await get('/v1/conversations?phone=12', phoneTenant.readKey);

      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid_phone');
    });

    it('pages within the filter', async () => {
      const first = (
        await get('/v1/conversations?phone=%2B14155550123&limit=1', phoneTenant.readKey)
      ).json();
      const second = (
        await get(
          `/v1/conversations?phone=%2B14155550123&limit=1&cursor=${first.nextCursor as string}`,
          phoneTenant.readKey,
        )
      ).json();

      expect(idsOf(first)).toEqual([matching[1].id]);
      expect(idsOf(second)).toEqual([matching[0].id]);
      expect(second.nextCursor).toBeNull();
    });
  });

  describe('GET /v1/conversations/:id', () => {
    it('returns one conversation', async () => {
      const response = await get(`/v1/conversations/${conversations[0].id}`);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({
        id: conversations[0].id,
        phone: conversations[0].phone,
      });
    });

    it('answers another tenant’s id exactly like a missing one', async () => {
      const foreignId = otherConversations[0].id;
      const missingId = randomUUID();
      const foreign = await get(`/v1/conversations/${foreignId}`);
      const missing = await get(`/v1/conversations/${missingId}`);

      expect(foreign.statusCode).toBe(404);
      expect(missing.statusCode).toBe(404);
      expect({ ...foreign.json(), requestId: undefined, message: undefined }).toEqual({
        ...missing.json(),
        requestId: undefined,
        message: undefined,
      });
      expect(foreign.json().message).toBe(`Conversation ${foreignId} not found`);
      expect(missing.json().message).toBe(`Conversation ${missingId} not found`);
    });

    it('rejects a malformed id', async () => {
      const response = await get('/v1/conversations/not-a-uuid');

      expect(response.statusCode).toBe(400);
      expect(response.json().message).toBe('id must be a UUID');
    });
  });

  describe('GET /v1/conversations/:id/messages', () => {
    let messageIds: string[];

    beforeAll(async () => {
      const at = new Date('2026-03-01T10:00:00Z');

      // Three messages share one timestamp, so the id decides their order across pages.
      messageIds = await seedMessages(tenant.tenantId, conversations[0].id, [
        ...timesBefore(at, 2),
        at,
        at,
        at,
      ]);
    });

    it('pages messages newest first without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;

      do {
        const url: string = `/v1/conversations/${conversations[0].id}/messages?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
        const body: { data: { id: string }[]; nextCursor: string | null } = (await get(url)).json();

        expect(body.data.length).toBeLessThanOrEqual(2);
        seen.push(...idsOf(body));
        cursor = body.nextCursor;
      } while (cursor);

      const sameTime = [...messageIds.slice(2)].sort().reverse();

      expect(seen).toEqual([...sameTime, messageIds[1], messageIds[0]]);
    });

    it('returns message fields', async () => {
      const body = (
        await get(`/v1/conversations/${conversations[0].id}/messages?limit=200`)
      ).json();
      const oldest = body.data[body.data.length - 1];

      expect(oldest).toMatchObject({
        id: messageIds[0],
        conversationId: conversations[0].id,
        direction: 'inbound',
        body: 'message 0',
        attachments: [],
        status: 'received',
        replyState: 'none',
      });
    });

    it('returns an empty page for a conversation without messages', async () => {
      const response = await get(`/v1/conversations/${conversations[1].id}/messages`);

      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ data: [], nextCursor: null });
    });

    it.each([
      ['another tenant’s conversation', () => otherConversations[0].id],
      ['a missing conversation', () => randomUUID()],
    ])('answers 404 for %s', async (_, id) => {
      const response = await get(`/v1/conversations/${id()}/messages`);

      expect(response.statusCode).toBe(404);
      expect(response.json().code).toBe('conversation_not_found');
    });

    it('rejects a malformed id', async () => {
      const response = await get('/v1/conversations/123/messages');

      expect(response.statusCode).toBe(400);
    });

    it('rejects an unknown query parameter', async () => {
      const response = await get(`/v1/conversations/${conversations[0].id}/messages?order=asc`);

      expect(response.statusCode).toBe(400);
    });
  });
});
