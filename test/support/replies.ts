import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';

import { inboundPayload, postSigned } from './blooio';
import { createTestApp } from './create-test-app';
import { FakeBlooio, fakeBlooioApiKey } from './fakes/fake-blooio';
import { FakeTelegram, fakeTelegramToken } from './fakes/fake-telegram';
import type { SeededTenant } from './fixtures';
import { connectAs, superuserDatabaseUrl } from './test-database';

export interface InboundInput {
  tenant: SeededTenant;
  /** The contact's number, as Blooio sends it in external_id. */
  from: string;
  text: string;
}

let contactCounter = Math.floor(Math.random() * 5000);

/** Returns a fictional +1 415 555 number, unique within this test process, for a contact. */
export function uniqueContactNumber(): string {
  contactCounter = (contactCounter + 1) % 10000;

  return `+1415555${String(contactCounter).padStart(4, '0')}`;
}

/** Returns the environment of an app whose reply worker uses the given fakes, with short timings. */
export function replyEnv(
  blooio: FakeBlooio,
  telegram?: FakeTelegram,
  env: Record<string, string> = {},
): Record<string, string> {
  return {
    BLOOIO_BASE_URL: blooio.baseUrl,
    BLOOIO_API_KEY: fakeBlooioApiKey,
    BLOOIO_TIMEOUT_MS: '500',
    BLOOIO_RETRY_BASE_DELAY_MS: '20',
    REPLY_WORKER_POLL_INTERVAL_MS: '200',
    // The tests post many webhooks from one address; the rate limits have their own tests.
    RATE_LIMIT_IP_BURST_LIMIT: '100000',
    RATE_LIMIT_IP_SUSTAINED_LIMIT: '100000',
    ...(telegram
      ? {
          TELEGRAM_API_BASE_URL: telegram.baseUrl,
          TELEGRAM_BOT_TOKEN: fakeTelegramToken,
          TELEGRAM_CHAT_ID: '-100777',
          ALERT_MIN_INTERVAL_MS: '0',
        }
      : {}),
    ...env,
  };
}

export interface ReplyHarness {
  app: NestFastifyApplication;
  blooio: FakeBlooio;
  telegram: FakeTelegram;
  close(): Promise<void>;
}

/** Clears the job queue, starts fake Blooio and Telegram servers and an app whose worker uses them. */
export async function startReplyHarness(env: Record<string, string> = {}): Promise<ReplyHarness> {
  await clearJobQueue();

  const blooio = await new FakeBlooio().start();
  const telegram = await new FakeTelegram().start();
  const app = await createTestApp({ env: replyEnv(blooio, telegram, env) });

  return {
    app,
    blooio,
    telegram,
    async close() {
      blooio.onBilled = undefined;
      await app.close();
      await blooio.stop();
      await telegram.stop();
    },
  };
}

/**
 * Posts a signed message.received webhook for the contact, as Blooio would, and returns the id of
 * the stored message. The webhook stores it and enqueues its reply job in one transaction.
 */
export async function storeInbound(
  app: NestFastifyApplication,
  input: InboundInput,
): Promise<string> {
  const providerMessageId = `msg_${randomUUID()}`;
  const response = await postSigned(
    app,
    input.tenant.webhookSecret,
    inboundPayload(input.tenant.receivingNumber, {
      message_id: providerMessageId,
      external_id: input.from,
      text: input.text,
    }),
  );

  if (response.statusCode !== 200) {
    throw new Error(
      `The webhook rejected the inbound message: ${response.statusCode} ${response.body}`,
    );
  }

  const { rows } = await asSuperuser((client) =>
    client.query<{ id: string }>(
      'SELECT id FROM messages WHERE tenant_id = $1 AND provider_message_id = $2',
      [input.tenant.tenantId, providerMessageId],
    ),
  );

  return rows[0].id;
}

/** Runs one query as the superuser, past row-level security, for test setup and checks. */
export async function asSuperuser<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectAs(superuserDatabaseUrl);

  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Sets spend-guard columns of a tenant, e.g. { daily_send_cap: 2, replies_paused: true }. */
export async function updateTenant(
  tenantId: string,
  columns: Record<string, number | boolean | string>,
): Promise<void> {
  const names = Object.keys(columns);
  const assignments = names.map((name, i) => `"${name}" = $${i + 2}`).join(', ');

  await asSuperuser((client) =>
    client.query(`UPDATE tenants SET ${assignments} WHERE id = $1`, [
      tenantId,
      ...Object.values(columns),
    ]),
  );
}

/** Deletes every queued job, so jobs left by other test files never reach this file's fakes. */
export async function clearJobQueue(): Promise<void> {
  await asSuperuser((client) => client.query('DELETE FROM graphile_worker._private_jobs'));
}

export interface InboundState {
  reply_state: string;
  reply_reason: string | null;
}

export async function inboundState(messageId: string): Promise<InboundState> {
  const { rows } = await asSuperuser((client) =>
    client.query<InboundState>('SELECT reply_state, reply_reason FROM messages WHERE id = $1', [
      messageId,
    ]),
  );

  return rows[0];
}

/** Waits until the inbound message's reply is settled (no longer awaiting) and its job is gone. */
export async function waitForReply(messageId: string, timeoutMs = 20000): Promise<InboundState> {
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    const state = await inboundState(messageId);
    const { rows } = await asSuperuser((client) =>
      client.query('SELECT 1 FROM graphile_worker._private_jobs WHERE key = $1', [
        `reply:${messageId}`,
      ]),
    );

    if (state.reply_state !== 'awaiting_reply' && rows.length === 0) {
      return state;
    }

    if (Date.now() > deadline) {
      throw new Error(`Reply to ${messageId} still ${state.reply_state} after ${timeoutMs} ms`);
    }

    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface SendRow {
  idempotency_key: string;
  kind: string;
  status: string;
  body: string;
  provider_message_id: string | null;
  error_code: string | null;
  message_status: string | null;
}

export async function sendsFor(messageId: string): Promise<SendRow[]> {
  const { rows } = await asSuperuser((client) =>
    client.query<SendRow>(
      `SELECT s.idempotency_key, s.kind, s.status, s.body, s.provider_message_id, s.error_code,
              m.status AS message_status
       FROM outbound_sends AS s LEFT JOIN messages AS m ON m.id = s.message_id
       WHERE s.inbound_message_id = $1`,
      [messageId],
    ),
  );

  return rows;
}

/** Waits until the fake Telegram received an alert matching the pattern. */
export async function waitForAlert(
  telegram: FakeTelegram,
  pattern: RegExp,
  timeoutMs = 10000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  while (!telegram.messages.some((m) => pattern.test(m.text))) {
    if (Date.now() > deadline) {
      const texts = telegram.messages.map((m) => m.text);

      throw new Error(`No Telegram alert matched ${pattern}; received ${JSON.stringify(texts)}`);
    }

    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
