import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Client } from 'pg';

import { ApiKeyHasher } from '../../src/common/crypto/api-key';
import { SecretBox } from '../../src/common/crypto/secret-box';
import {
  adminUrl,
  contactsPerTenant,
  databaseName,
  resultsDir,
  superuserUrl,
  tenantCount,
} from './bench-config';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { setupLocalDatabase } = require('../../prisma/setup-local-database.cjs') as {
  setupLocalDatabase(options: {
    database: string;
    reset: boolean;
    adminUrl: string;
  }): Promise<unknown>;
};

export interface BenchTenant {
  tenantId: string;
  receivingNumber: string;
  webhookSecret: string;
  readKey: string;
  /** E.164 numbers of the tenant's contacts; messages are spread over them. */
  contacts: string[];
}

export interface BenchFixture {
  /** APP_ENCRYPTION_KEY of this run, base64; generated per seed, never reused outside the bench. */
  encryptionKey: string;
  tenants: BenchTenant[];
}

const fixturePath = path.join(resultsDir, 'fixture.json');

/** Contact numbers in 415-555, which libphonenumber's full metadata accepts as valid US numbers. */
function contactNumber(tenantIndex: number, contactIndex: number): string {
  const serial = tenantIndex * contactsPerTenant + contactIndex;

  return `+1415555${String(serial).padStart(4, '0')}`;
}

async function insertTenant(client: Client, key: Buffer, index: number): Promise<BenchTenant> {
  const tenantId = randomUUID();
  const receivingNumber = `+1628200${String(index).padStart(4, '0')}`;
  const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
  const readKey = new ApiKeyHasher(key).issue();

  await client.query('BEGIN');
  await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
  await client.query(`INSERT INTO tenants (id, name, slug) VALUES ($1, $2, $3)`, [
    tenantId,
    `Bench tenant ${index}`,
    `bench-${index}`,
  ]);
  await client.query(`INSERT INTO sending_numbers (id, tenant_id, phone) VALUES ($1, $2, $3)`, [
    randomUUID(),
    tenantId,
    receivingNumber,
  ]);
  await client.query(
    `INSERT INTO webhook_secrets (id, tenant_id, current_ciphertext) VALUES ($1, $2, $3)`,
    [randomUUID(), tenantId, new SecretBox(key).encrypt(webhookSecret, tenantId)],
  );
  await client.query(
    `INSERT INTO api_keys (id, tenant_id, name, prefix, hash, scopes) VALUES ($1, $2, 'bench', $3, $4, $5)`,
    [randomUUID(), tenantId, readKey.prefix, readKey.hash, ['read']],
  );
  await client.query(
    `INSERT INTO pipelines (id, tenant_id, name, is_default) VALUES ($1, $2, 'Sales', true)`,
    [randomUUID(), tenantId],
  );
  await client.query('COMMIT');

  const contacts = Array.from({ length: contactsPerTenant }, (_, contact) =>
    contactNumber(index, contact),
  );

  return { tenantId, receivingNumber, webhookSecret, readKey: readKey.plaintext, contacts };
}

/** Recreates the benchmark database, applies the migrations and inserts 50 tenants. */
export async function seedDatabase(): Promise<BenchFixture> {
  await setupLocalDatabase({ database: databaseName, reset: true, adminUrl });

  const key = randomBytes(32);
  const client = new Client({ connectionString: superuserUrl });

  await client.connect();

  try {
    // For BENCH_STATEMENTS=1: the cluster preloads the library, the database needs the view.
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');

    const tenants: BenchTenant[] = [];

    for (let index = 0; index < tenantCount; index += 1) {
      tenants.push(await insertTenant(client, key, index));
    }

    const fixture = { encryptionKey: key.toString('base64'), tenants };

    writeFileSync(fixturePath, JSON.stringify(fixture, null, 2));

    return fixture;
  } finally {
    await client.end();
  }
}

export function readFixture(): BenchFixture {
  return JSON.parse(readFileSync(fixturePath, 'utf8')) as BenchFixture;
}
