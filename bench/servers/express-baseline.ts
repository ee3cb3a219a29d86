import { createHmac, timingSafeEqual } from 'node:crypto';

import express from 'express';
import type { Request, Response } from 'express';
import { Pool } from 'pg';
import type { PoolClient } from 'pg';
import pinoHttp from 'pino-http';

import { SecretBox } from '../../src/common/crypto/secret-box';
import { toContactAddress, toPossibleE164 } from '../../src/common/phone/phone-number';

/**
 * The baseline: one hand-written Express 5 handler doing the inbound work in the style of the
 * previous server. Per request it looks the tenant up by receiving number and opens a transaction
 * that sets app.tenant_id. In it, it reads and decrypts the signing secret and verifies the HMAC
 * over the raw body. It then validates the JSON by hand and writes the inbox row, contact,
 * conversation and message with plain parameterised queries (node-postgres, unnamed statements,
 * one round trip each). With BASELINE_SECRET_CACHE=1 it keeps tenants and secrets in memory
 * instead, the cheapest rejection this design allows. It has no rate limit and queues no reply job.
 */
const port = Number(process.env.PORT ?? 28083);
const toleranceSeconds = 300;
const isSecretCached = process.env.BASELINE_SECRET_CACHE === '1';
const pool = new Pool({
  connectionString: process.env.DATABASE_URL,
  max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
});
const secretBox = new SecretBox(Buffer.from(process.env.APP_ENCRYPTION_KEY ?? '', 'base64'));
const logger = pinoHttp({ level: process.env.LOG_LEVEL ?? 'info' });

interface Tenant {
  tenantId: string;
  secret: string;
}

interface InboundMessage {
  messageId: string;
  contact: string;
  text: string;
  protocol: string | null;
  receivedAt: Date;
}

const tenantCache = new Map<string, Tenant | null>();

interface SignatureHeader {
  timestamp: number;
  signatures: Buffer[];
}

function parseHeader(value: string | undefined): SignatureHeader | undefined {
  const parts = (value ?? '').split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  const signatures = parts
    .filter(([key, digest]) => key === 'v1' && /^[0-9a-f]{64}$/i.test(digest ?? ''))
    .map(([, digest]) => Buffer.from(digest, 'hex'));

  return Number.isInteger(timestamp) && signatures.length > 0
    ? { timestamp, signatures }
    : undefined;
}

function isSigned(secret: string, header: SignatureHeader, body: Buffer): boolean {
  const expected = createHmac('sha256', secret)
    .update(`${header.timestamp}.`)
    .update(body)
    .digest();

  return header.signatures.some((candidate) => timingSafeEqual(candidate, expected));
}

function validate(payload: Record<string, unknown>, region: string): InboundMessage | string {
  const { event, message_id: messageId, external_id: externalId, text, protocol } = payload;

  if (event !== 'message.received') {
    return 'event must be message.received';
  }

  if (typeof messageId !== 'string' || messageId.length === 0 || messageId.length > 255) {
    return 'message_id must be a string of 1 to 255 characters';
  }

  const address = typeof externalId === 'string' ? toContactAddress(externalId, region) : undefined;

  if (!address) {
    return 'external_id must be a valid phone number or email address';
  }

  if (text !== undefined && (typeof text !== 'string' || text.length > 10_000)) {
    return 'text must be a string of at most 10,000 characters';
  }

  const receivedAt = Number(payload.received_at ?? payload.timestamp);

  return {
    messageId,
    contact: address.value,
    text: typeof text === 'string' ? text : '',
    protocol: typeof protocol === 'string' ? protocol : null,
    receivedAt: Number.isFinite(receivedAt) ? new Date(receivedAt) : new Date(),
  };
}

async function resolveTenant(client: PoolClient, number: string): Promise<string | undefined> {
  const resolved = await client.query<{ tenant_id: string; tenant_status: string }>(
    'SELECT tenant_id, tenant_status FROM tenant_resolution.tenant_by_number($1)',
    [number],
  );
  const tenant = resolved.rows[0];

  return tenant?.tenant_status === 'active' ? tenant.tenant_id : undefined;
}

/** Reads and decrypts the signing secret inside the caller's tenant transaction. */
async function readSecret(client: PoolClient, tenantId: string): Promise<string | undefined> {
  const secret = await client.query<{ current_ciphertext: string }>(
    'SELECT current_ciphertext FROM webhook_secrets WHERE tenant_id = $1',
    [tenantId],
  );
  const ciphertext = secret.rows[0]?.current_ciphertext;

  return ciphertext ? secretBox.decrypt(ciphertext, tenantId) : undefined;
}

async function beginTenantTransaction(client: PoolClient, tenantId: string): Promise<void> {
  await client.query('BEGIN');
  await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
}

/** Returns the cached tenant, loading it once per number in its own transaction. */
async function cachedTenant(client: PoolClient, number: string): Promise<Tenant | null> {
  if (!tenantCache.has(number)) {
    const tenantId = await resolveTenant(client, number);
    let tenant: Tenant | null = null;

    if (tenantId) {
      await beginTenantTransaction(client, tenantId);

      const secret = await readSecret(client, tenantId);

      await client.query('COMMIT');
      tenant = secret ? { tenantId, secret } : null;
    }

    tenantCache.set(number, tenant);
  }

  return tenantCache.get(number) ?? null;
}

/**
 * Verifies the signature and leaves a tenant transaction open on success. Uncached, the secret is
 * read inside the transaction the message is then written in, as the previous server did.
 */
async function authenticate(
  client: PoolClient,
  number: string,
  header: SignatureHeader,
  body: Buffer,
): Promise<Tenant | null> {
  if (isSecretCached) {
    const tenant = await cachedTenant(client, number);

    if (!tenant || !isSigned(tenant.secret, header, body)) {
      return null;
    }

    await beginTenantTransaction(client, tenant.tenantId);

    return tenant;
  }

  const tenantId = await resolveTenant(client, number);

  if (!tenantId) {
    return null;
  }

  await beginTenantTransaction(client, tenantId);

  const secret = await readSecret(client, tenantId);

  if (!secret || !isSigned(secret, header, body)) {
    await client.query('ROLLBACK');

    return null;
  }

  return { tenantId, secret };
}

/** Writes the message in the open tenant transaction and ends it. */
async function store(
  client: PoolClient,
  tenant: Tenant,
  ourNumber: string,
  message: InboundMessage,
): Promise<'stored' | 'duplicate'> {
  const claimed = await client.query(
    `INSERT INTO webhook_events (id, tenant_id, source, dedup_key)
     VALUES (gen_random_uuid(), $1, 'blooio', $2)
     ON CONFLICT (tenant_id, source, dedup_key) DO NOTHING RETURNING id`,
    [tenant.tenantId, `${message.messageId}:message.received`],
  );

  if (claimed.rowCount === 0) {
    await client.query('ROLLBACK');

    return 'duplicate';
  }

  const contact = await client.query<{ id: string }>(
    `INSERT INTO contacts (id, tenant_id, phone, updated_at) VALUES (gen_random_uuid(), $1, $2, now())
     ON CONFLICT (tenant_id, phone) DO UPDATE SET updated_at = now() RETURNING id`,
    [tenant.tenantId, message.contact],
  );
  const conversation = await client.query<{ id: string }>(
    `INSERT INTO conversations (id, tenant_id, contact_id, phone, our_number, protocol, last_message_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, $3, $4, $5, $6, now())
     ON CONFLICT (tenant_id, phone, our_number) DO UPDATE SET
       last_message_at = GREATEST(conversations.last_message_at, EXCLUDED.last_message_at), updated_at = now()
     RETURNING id`,
    [
      tenant.tenantId,
      contact.rows[0].id,
      message.contact,
      ourNumber,
      message.protocol,
      message.receivedAt,
    ],
  );

  await client.query(
    `INSERT INTO messages (id, tenant_id, conversation_id, direction, provider_message_id, body, protocol,
       status, reply_state, received_at, updated_at)
     VALUES (gen_random_uuid(), $1, $2, 'inbound', $3, $4, $5, 'received', 'awaiting_reply', $6, now())
     ON CONFLICT (tenant_id, provider_message_id) DO NOTHING`,
    [
      tenant.tenantId,
      conversation.rows[0].id,
      message.messageId,
      message.text,
      message.protocol,
      message.receivedAt,
    ],
  );
  await client.query('COMMIT');

  return 'stored';
}

async function receive(request: Request, response: Response): Promise<void> {
  const header = parseHeader(request.get('x-blooio-signature'));
  const body = request.body as unknown;

  if (
    !Buffer.isBuffer(body) ||
    !header ||
    Math.abs(Date.now() / 1000 - header.timestamp) > toleranceSeconds
  ) {
    response.status(401).json({ message: 'Invalid webhook signature' });

    return;
  }

  let payload: Record<string, unknown>;

  try {
    payload = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    response.status(400).json({ message: 'Malformed JSON' });

    return;
  }

  const ourNumber =
    typeof payload.internal_id === 'string' ? toPossibleE164(payload.internal_id) : undefined;
  const client = await pool.connect();

  try {
    const tenant = ourNumber ? await authenticate(client, ourNumber, header, body) : null;

    if (!tenant || !ourNumber) {
      response.status(401).json({ message: 'Invalid webhook signature' });

      return;
    }

    const message = validate(payload, 'US');

    if (typeof message === 'string') {
      await client.query('ROLLBACK');
      response.status(400).json({ message });

      return;
    }

    const status = await store(client, tenant, ourNumber, message);

    request.log.info({ tenantId: tenant.tenantId, status }, 'Inbound message handled');
    response.status(200).json({ status });
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    request.log.error({ err: error }, 'Inbound message failed');
    response.status(500).json({ message: 'Internal server error' });
  } finally {
    client.release();
  }
}

const app = express();

app.disable('x-powered-by');
app.use(logger);
app.post('/webhooks/blooio', express.raw({ type: 'application/json', limit: '256kb' }), receive);

const server = app.listen(port, '127.0.0.1');

process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
