import { randomBytes, randomUUID } from 'node:crypto';

import type { Client } from 'pg';

import { ApiKeyHasher } from '../../src/common/crypto/api-key';
import { SecretBox } from '../../src/common/crypto/secret-box';
import { testEncryptionKey } from './create-test-app';
import { connectAs, superuserDatabaseUrl } from './test-database';

export interface SeededTenant {
  tenantId: string;
  receivingNumber: string;
  webhookSecret: string;
  apiKey: string;
  readKey: string;
  pipelineId: string;
}

let numberCounter = 0;
const maxSeedAttempts = 5;

/** Returns a fresh fictional E.164 number in the 555-01xx style range, unique within the test run. */
export function uniqueNumber(): string {
  numberCounter += 1;
  const suffix = String((Date.now() % 100000) * 100 + (numberCounter % 100))
    .padStart(7, '0')
    .slice(-7);

  return `+1415${suffix}`;
}

/**
 * Creates a tenant with a receiving number, a webhook secret, a read-write and a read-only API key
 * and a default pipeline. Runs as the superuser, setting the tenant as the service would.
 */
export async function seedTenant(
  overrides: { status?: 'active' | 'suspended'; dailySendCap?: number; allowLinks?: boolean } = {},
): Promise<SeededTenant> {
  const client = await connectAs(superuserDatabaseUrl);

  try {
    // uniqueNumber() is unique within one test file only, so a number another file seeded can come
    // back; a new number is drawn then.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await insertTenant(client, overrides);
      } catch (error) {
        await client.query('ROLLBACK');

        const constraint = (error as { constraint?: string }).constraint;

        if (constraint !== 'sending_numbers_phone_key' || attempt === maxSeedAttempts) {
          throw error;
        }
      }
    }
  } finally {
    await client.end();
  }
}

async function insertTenant(
  client: Client,
  overrides: { status?: 'active' | 'suspended'; dailySendCap?: number; allowLinks?: boolean },
): Promise<SeededTenant> {
  const tenantId = randomUUID();
  const receivingNumber = uniqueNumber();
  const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
  const hasher = new ApiKeyHasher(testEncryptionKey);
  const writeKey = hasher.issue();
  const readKey = hasher.issue();
  const pipelineId = randomUUID();

  await client.query('BEGIN');
  await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
  await client.query(
    `INSERT INTO tenants (id, name, slug, status, daily_send_cap, allow_links)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      tenantId,
      `Tenant ${tenantId.slice(0, 8)}`,
      `t-${tenantId}`,
      overrides.status ?? 'active',
      overrides.dailySendCap ?? 500,
      overrides.allowLinks ?? false,
    ],
  );
  await client.query(`INSERT INTO sending_numbers (id, tenant_id, phone) VALUES ($1, $2, $3)`, [
    randomUUID(),
    tenantId,
    receivingNumber,
  ]);
  await client.query(
    `INSERT INTO webhook_secrets (id, tenant_id, current_ciphertext) VALUES ($1, $2, $3)`,
    [randomUUID(), tenantId, new SecretBox(testEncryptionKey).encrypt(webhookSecret, tenantId)],
  );

  for (const [key, scopes] of [
    [writeKey, ['read', 'write']],
    [readKey, ['read']],
  ] as const) {
    await client.query(
      `INSERT INTO api_keys (id, tenant_id, name, prefix, hash, scopes) VALUES ($1, $2, 'test', $3, $4, $5)`,
      [randomUUID(), tenantId, key.prefix, key.hash, scopes],
    );
  }

  await client.query(
    `INSERT INTO pipelines (id, tenant_id, name, is_default) VALUES ($1, $2, 'Sales', true)`,
    [pipelineId, tenantId],
  );
  await client.query('COMMIT');

  return {
    tenantId,
    receivingNumber,
    webhookSecret,
    apiKey: writeKey.plaintext,
    readKey: readKey.plaintext,
    pipelineId,
  };
}
