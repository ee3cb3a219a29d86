import { randomInt, randomUUID } from 'node:crypto';

import type { Client } from 'pg';

import { connectAs, superuserDatabaseUrl } from './test-database';

export interface SeededConversation {
  id: string;
  contactId: string;
  phone: string;
  createdAt: Date;
}

export interface SeededOpportunity {
  id: string;
  status: string;
  createdAt: Date;
}

/** Returns a random fictional US number in E.164; collisions are unlikely enough for tests. */
export function randomNumber(): string {
  return `+1415${String(randomInt(0, 10_000_000)).padStart(7, '0')}`;
}

/** Runs statements as the superuser in one transaction with app.tenant_id set to the tenant. */
export async function asTenant<T>(
  tenantId: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = await connectAs(superuserDatabaseUrl);

  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);

    const result = await work(client);

    await client.query('COMMIT');

    return result;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    await client.end();
  }
}

async function insertContact(client: Client, tenantId: string, phone: string): Promise<string> {
  const id = randomUUID();

  await client.query(`INSERT INTO contacts (id, tenant_id, phone) VALUES ($1, $2, $3)`, [
    id,
    tenantId,
    phone,
  ]);

  return id;
}

/**
 * Adds conversations created at the given times, oldest first. Conversations that share a phone
 * share its contact and differ in our number, as they would with several sending numbers.
 */
export async function seedConversations(
  tenantId: string,
  createdAts: Date[],
  options: { phone?: string } = {},
): Promise<SeededConversation[]> {
  return asTenant(tenantId, async (client) => {
    const seeded: SeededConversation[] = [];
    const sharedContactId = options.phone
      ? await insertContact(client, tenantId, options.phone)
      : undefined;

    for (const createdAt of createdAts) {
      const phone = options.phone ?? randomNumber();
      const contactId = sharedContactId ?? (await insertContact(client, tenantId, phone));
      const id = randomUUID();

      await client.query(
        `INSERT INTO conversations (id, tenant_id, contact_id, phone, our_number, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [id, tenantId, contactId, phone, randomNumber(), createdAt],
      );
      seeded.push({ id, contactId, phone, createdAt });
    }

    return seeded;
  });
}

/** Adds inbound messages to a conversation, created at the given times. */
export async function seedMessages(
  tenantId: string,
  conversationId: string,
  createdAts: Date[],
): Promise<string[]> {
  return asTenant(tenantId, async (client) => {
    const ids: string[] = [];

    for (const [index, createdAt] of createdAts.entries()) {
      const id = randomUUID();

      await client.query(
        `INSERT INTO messages (id, tenant_id, conversation_id, direction, body, status, created_at, updated_at)
         VALUES ($1, $2, $3, 'inbound', $4, 'received', $5, $5)`,
        [id, tenantId, conversationId, `message ${index}`, createdAt],
      );
      ids.push(id);
    }

    return ids;
  });
}

/** Adds opportunities in a pipeline, each with its own contact. */
export async function seedOpportunities(
  tenantId: string,
  pipelineId: string,
  rows: { status?: string; createdAt?: Date }[],
): Promise<SeededOpportunity[]> {
  return asTenant(tenantId, async (client) => {
    const seeded: SeededOpportunity[] = [];

    for (const row of rows) {
      const contactId = await insertContact(client, tenantId, randomNumber());
      const id = randomUUID();
      const status = row.status ?? 'new';
      const createdAt = row.createdAt ?? new Date();

      await client.query(
        `INSERT INTO opportunities (id, tenant_id, pipeline_id, contact_id, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)`,
        [id, tenantId, pipelineId, contactId, status, createdAt],
      );
      seeded.push({ id, status, createdAt });
    }

    return seeded;
  });
}

/** Adds a second, non-default pipeline. */
export async function seedPipeline(tenantId: string, name: string): Promise<string> {
  return asTenant(tenantId, async (client) => {
    const id = randomUUID();

    await client.query(`INSERT INTO pipelines (id, tenant_id, name) VALUES ($1, $2, $3)`, [
      id,
      tenantId,
      name,
    ]);

    return id;
  });
}

/** Marks an API key revoked, found by the key's plaintext prefix. */
export async function revokeKey(tenantId: string, plaintext: string): Promise<void> {
  const prefix = plaintext.split('_')[1];

  await asTenant(tenantId, (client) =>
    client.query(`UPDATE api_keys SET revoked_at = now() WHERE prefix = $1`, [prefix]),
  );
}

/** Returns the times, one second apart and ending at `end`, oldest first. */
export function timesBefore(end: Date, count: number, stepMs = 1000): Date[] {
  return Array.from(
    { length: count },
    (_, index) => new Date(end.getTime() - (count - index) * stepMs),
  );
}
