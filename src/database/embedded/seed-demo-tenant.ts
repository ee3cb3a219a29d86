import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { Client } from 'pg';

import { ApiKeyHasher } from '../../common/crypto/api-key';
import { SecretBox } from '../../common/crypto/secret-box';

export const demoTenant = {
  id: '00000000-0000-4000-8000-00000000d3e0',
  slug: 'demo',
  name: 'Demo Dental',
  number: '+14155550100',
};

export interface DemoCredentials {
  tenantId: string;
  receivingNumber: string;
  webhookSecret: string;
  apiKey: string;
}

/**
 * Creates the demo tenant once, with a sending number, a webhook signing secret, an API key and a
 * default pipeline, and writes the plaintext secret and key to <dataDir>/demo-credentials.json.
 */
export async function seedDemoTenant(
  url: string,
  encryptionKey: Buffer,
  dataDir: string,
): Promise<void> {
  const credentialsPath = join(dataDir, 'demo-credentials.json');
  const client = new Client({ connectionString: url });

  await client.connect();

  try {
    const existing = await client.query('SELECT 1 FROM tenants WHERE id = $1', [demoTenant.id]);

    if (existing.rowCount && existsSync(credentialsPath)) {
      return;
    }

    const webhookSecret = `whsec_${randomBytes(24).toString('base64url')}`;
    const apiKey = new ApiKeyHasher(encryptionKey).issue();
    const sealed = new SecretBox(encryptionKey).encrypt(webhookSecret, demoTenant.id);

    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [demoTenant.id]);
    await client.query('DELETE FROM tenants WHERE id = $1', [demoTenant.id]);
    await client.query(
      `INSERT INTO tenants (id, name, slug, business_details) VALUES ($1, $2, $3, $4)`,
      [
        demoTenant.id,
        demoTenant.name,
        demoTenant.slug,
        'A dental practice open Monday to Friday, 9am to 5pm.',
      ],
    );
    await client.query(
      `INSERT INTO sending_numbers (id, tenant_id, phone) VALUES (gen_random_uuid(), $1, $2)`,
      [demoTenant.id, demoTenant.number],
    );
    await client.query(
      `INSERT INTO webhook_secrets (id, tenant_id, current_ciphertext) VALUES (gen_random_uuid(), $1, $2)`,
      [demoTenant.id, sealed],
    );
    await client.query(
      `INSERT INTO api_keys (id, tenant_id, name, prefix, hash, scopes) VALUES (gen_random_uuid(), $1, 'demo', $2, $3, $4)`,
      [demoTenant.id, apiKey.prefix, apiKey.hash, ['read', 'write']],
    );
    await client.query(
      `INSERT INTO pipelines (id, tenant_id, name, is_default) VALUES (gen_random_uuid(), $1, 'Sales', true)`,
      [demoTenant.id],
    );
    await client.query('COMMIT');

    const credentials: DemoCredentials = {
      tenantId: demoTenant.id,
      receivingNumber: demoTenant.number,
      webhookSecret,
      apiKey: apiKey.plaintext,
    };

    writeFileSync(credentialsPath, `${JSON.stringify(credentials, null, 2)}\n`, { mode: 0o600 });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
  }
}
