import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { ApiKeyHasher } from '../src/common/crypto/api-key';
import { createTestApp, testEncryptionKey } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { asTenant, revokeKey } from './support/tenant-api-fixtures';

const readRoutes = [
  '/v1/conversations',
  `/v1/conversations/${randomUUID()}`,
  `/v1/conversations/${randomUUID()}/messages`,
  '/v1/opportunities',
  `/v1/opportunities/${randomUUID()}`,
  '/v1/pipelines',
];

describe('Tenant API authentication', () => {
  let app: NestFastifyApplication;
  let tenant: SeededTenant;
  let writeOnlyKey: string;

  const get = (url: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url, headers });

  beforeAll(async () => {
    app = await createTestApp();
    tenant = await seedTenant();

    const key = new ApiKeyHasher(testEncryptionKey).issue();

    writeOnlyKey = key.plaintext;
    await asTenant(tenant.tenantId, (client) =>
      client.query(
        `INSERT INTO api_keys (id, tenant_id, name, prefix, hash, scopes)
         VALUES ($1, $2, 'write only', $3, $4, $5)`,
        [randomUUID(), tenant.tenantId, key.prefix, key.hash, ['write']],
      ),
    );
  });

  afterAll(async () => {
    await app.close();
  });

  const unauthorized = {
    statusCode: 401,
    error: 'Unauthorized',
    message: 'Missing or invalid API key',
  };

  it.each(readRoutes)('%s rejects a request without a key', async (url) => {
    const response = await get(url);

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject(unauthorized);
  });

  it.each(readRoutes)('%s rejects a key without the read scope', async (url) => {
    const response = await get(url, { authorization: `Bearer ${writeOnlyKey}` });

    expect(response.statusCode).toBe(403);
    expect(response.json().message).toBe('API key lacks the required scope: read');
  });

  it.each([
    ['a malformed key', 'Bearer not-a-key'],
    ['an unknown prefix', `Bearer aias_ABCDEFGHJKLM_${'a'.repeat(43)}`],
    ['a wrong secret', () => `Bearer ${tenant.apiKey.slice(0, -4)}AAAA`],
    ['another scheme', () => `Basic ${tenant.apiKey}`],
  ])('rejects %s with the same 401', async (_, header) => {
    const value = typeof header === 'function' ? header() : header;
    const response = await get('/v1/pipelines', { authorization: value });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject(unauthorized);
  });

  it('rejects a revoked key with the same 401', async () => {
    const revoked = await seedTenant();

    expect(
      (await get('/v1/pipelines', { authorization: `Bearer ${revoked.readKey}` })).statusCode,
    ).toBe(200);

    await revokeKey(revoked.tenantId, revoked.readKey);

    const response = await get('/v1/pipelines', { authorization: `Bearer ${revoked.readKey}` });

    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject(unauthorized);
  });

  it('rejects a key whose scopes are NULL with 403', async () => {
    const scopeless = await seedTenant();

    await asTenant(scopeless.tenantId, (client) =>
      client.query('UPDATE api_keys SET scopes = NULL WHERE prefix = $1', [
        scopeless.readKey.split('_')[1],
      ]),
    );

    const response = await get('/v1/pipelines', { authorization: `Bearer ${scopeless.readKey}` });

    expect(response.statusCode).toBe(403);
    expect(response.json().message).toBe('API key lacks the required scope: read');
  });

  it('rejects a suspended tenant’s key with 403', async () => {
    const suspended = await seedTenant({ status: 'suspended' });
    const response = await get('/v1/pipelines', { 'x-api-key': suspended.readKey });

    expect(response.statusCode).toBe(403);
    expect(response.json().message).toBe('Tenant is suspended');
  });

  it('records when a key was last used', async () => {
    const used = await seedTenant();
    const prefix = used.readKey.split('_')[1];
    const lastUsed = () =>
      asTenant(used.tenantId, async (client) => {
        const result = await client.query<{ last_used_at: Date | null }>(
          'SELECT last_used_at FROM api_keys WHERE prefix = $1',
          [prefix],
        );

        return result.rows[0].last_used_at;
      });

    expect(await lastUsed()).toBeNull();
    expect(
      (await get('/v1/pipelines', { authorization: `Bearer ${used.readKey}` })).statusCode,
    ).toBe(200);

    let recorded: Date | null = null;

    for (let attempt = 0; attempt < 50 && !recorded; attempt += 1) {
      recorded = await lastUsed();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }

    expect(recorded).toBeInstanceOf(Date);
  });
});

describe('Tenant API rate limit', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ env: { RATE_LIMIT_TENANT_LIMIT: '2' } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('limits each tenant separately', async () => {
    const [limited, other] = await Promise.all([seedTenant(), seedTenant()]);
    const statuses: number[] = [];

    for (const url of ['/v1/pipelines', '/v1/conversations', '/v1/opportunities']) {
      const response = await app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${limited.readKey}` },
      });

      statuses.push(response.statusCode);
    }

    const otherResponse = await app.inject({
      method: 'GET',
      url: '/v1/pipelines',
      headers: { authorization: `Bearer ${other.readKey}` },
    });

    expect(statuses).toEqual([200, 200, 429]);
    expect(otherResponse.statusCode).toBe(200);
  });
});
