import { setTimeout as sleep } from 'node:timers/promises';

import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { BatchLoader, BatchQueueFullError } from '../common/batching/batch-loader';
import { isDatabaseUnavailable } from '../database/is-database-unavailable';
import { LogSampler } from '../common/logging/log-sampler';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { sqlStateOf } from '../database/database-errors';
import { retry } from '../database/retry';
import { TenantDatabase } from '../database/tenant-database';
import type { InboundMessageInput, StoredInboundMessage } from './inbound-message';
import { IngestOverloadedError } from './inbound-message.errors';

/** The SQLSTATE store_inbound_message raises when the provider message id is already stored. */
const messageAlreadyStored = 'AI409';

const failureLogIntervalMs = 10_000;

const storeOneSql = `
  SELECT outcome, contact_id, conversation_id, message_id
  FROM public.store_inbound_message(
    $1::uuid, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text,
    $10::text, $11::jsonb, $12::timestamptz, $13::reply_state, $14::int)`;

const storeManySql = `
  SELECT idx, outcome, contact_id, conversation_id, message_id
  FROM public.store_inbound_messages($1::jsonb, $2::int)`;

/**
 * SQLSTATEs of a transaction that lost a conflict with another one (deadlock_detected and
 * serialization_failure) and succeeds when run again. Batches sorted by contact still deadlock now
 * and then, because each message also locks its inbox key and its conversation in that order.
 */
const retryableSqlStates = new Set(['40P01', '40001']);
const maxStoreAttempts = 3;

interface StoreRow {
  outcome: 'stored' | 'duplicate';
  contact_id: string | null;
  conversation_id: string | null;
  message_id: string | null;
}

interface BatchRow extends StoreRow {
  idx: number;
}

/** A delivery's source and its key in the webhook inbox (webhook_events). */
export interface InboundDelivery {
  source: 'blooio';
  dedupKey: string;
}

interface PendingMessage {
  delivery: InboundDelivery;
  input: InboundMessageInput;
}

type StoreResult = StoredInboundMessage | undefined;

function toStored(row: StoreRow | undefined): StoreResult {
  if (row?.outcome !== 'stored' || !row.contact_id || !row.conversation_id || !row.message_id) {
    return undefined;
  }

  return {
    contactId: row.contact_id,
    conversationId: row.conversation_id,
    messageId: row.message_id,
  };
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Serialises a value to JSON with each lone UTF-16 surrogate replaced by U+FFFD. PostgreSQL rejects
 * the escaped surrogate in jsonb, which would fail a whole batch, while a text parameter already
 * arrives with U+FFFD in its place.
 */
function toWellFormedJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    typeof item === 'string' ? item.replace(/\p{Cs}/gu, '\uFFFD') : item,
  );
}

function byKey(a: { key: string }, b: { key: string }): number {
  if (a.key === b.key) {
    return 0;
  }

  return a.key < b.key ? -1 : 1;
}

function lockOrderKey({ input }: PendingMessage): string {
  return `${input.tenantId} ${input.contact.value} ${input.chatAddress} ${input.ourNumber}`;
}

function toBatchElement({ delivery, input }: PendingMessage): Record<string, unknown> {
  return {
    tenantId: input.tenantId,
    source: delivery.source,
    dedupKey: delivery.dedupKey,
    contactKind: input.contact.kind,
    contactValue: input.contact.value,
    chatAddress: input.chatAddress,
    ourNumber: input.ourNumber,
    providerMessageId: input.providerMessageId,
    protocol: input.protocol ?? null,
    body: input.body,
    attachments: input.attachments,
    receivedAt: input.receivedAt.toISOString(),
    replyState: input.replyState,
  };
}

/**
 * Records received messages with the SQL functions store_inbound_message (one message, migration
 * 20261205000000) and store_inbound_messages (a batch, migration 20261205003000). For each message
 * the function claims the delivery's inbox key, upserts the contact and the conversation, inserts
 * the message and queues the reply job of a message awaiting one, all in one transaction under the
 * tenant's row-level security. Whatever must happen atomically with storing a message belongs in
 * store_inbound_message.
 *
 * Messages that arrive while INGEST_CONCURRENCY calls are already running wait and are stored
 * together, up to INGEST_BATCH_SIZE per call, so under load a commit serves many messages.
 */
@Injectable()
export class InboundMessageStore {
  private readonly batches?: BatchLoader<PendingMessage, StoreResult>;
  private readonly failures = new LogSampler(failureLogIntervalMs);

  constructor(
    private readonly db: TenantDatabase,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(InboundMessageStore.name);

    const { ingestBatchSize, ingestConcurrency, ingestQueueLimit, setRole } = config.database;

    // With DATABASE_SET_ROLE every statement needs a transaction that sets the role, which a
    // batch spanning tenants cannot have.
    if (ingestBatchSize > 1 && !setRole) {
      this.batches = new BatchLoader((messages) => this.storeBatch(messages), {
        maxBatchSize: ingestBatchSize,
        concurrency: ingestConcurrency,
        maxQueued: ingestQueueLimit,
      });
    }
  }

  /**
   * Stores the message and returns its ids. Returns undefined, and changes nothing, when the
   * delivery's key was claimed before or the provider message id is already stored.
   */
  store(delivery: InboundDelivery, input: InboundMessageInput): Promise<StoreResult> {
    const message = { delivery, input };

    if (!this.batches) {
      return this.storeOne(message);
    }

    return this.batches.load(message).catch((error: unknown) => {
      if (!(error instanceof BatchQueueFullError)) {
        throw error;
      }

      const skipped = this.failures.sample('queue_full');

      if (skipped !== undefined) {
        this.logger.warn(
          { queueLimit: this.config.database.ingestQueueLimit, skipped },
          'Rejecting received messages with 503 because INGEST_QUEUE_LIMIT messages already wait',
        );
      }

      throw new IngestOverloadedError();
    });
  }

  private storeOne(message: PendingMessage): Promise<StoreResult> {
    return retry(() => this.storeOnce(message), {
      maxAttempts: maxStoreAttempts,
      isRetryable: (error) => retryableSqlStates.has(sqlStateOf(error) ?? ''),
      beforeRetry: async (attempt, error) => {
        this.logger.info(
          { tenantId: message.input.tenantId, attempt, sqlState: sqlStateOf(error) },
          'Storing a received message lost a conflict with another transaction; retrying',
        );
        // A random pause keeps the two sides of a deadlock from colliding again at once.
        await sleep(5 + Math.random() * 20);
      },
    });
  }

  private async storeOnce({ delivery, input }: PendingMessage): Promise<StoreResult> {
    const rows = await this.db
      .selfScoped<StoreRow>(input.tenantId, {
        name: 'aias_store_inbound_message',
        text: storeOneSql,
        values: [
          input.tenantId,
          delivery.source,
          delivery.dedupKey,
          input.contact.kind,
          input.contact.value,
          input.chatAddress,
          input.ourNumber,
          input.providerMessageId,
          input.protocol ?? null,
          input.body,
          toWellFormedJson(input.attachments),
          input.receivedAt,
          input.replyState,
          this.config.replies.worker.maxAttempts,
        ],
      })
      .catch((error: unknown) => {
        if (sqlStateOf(error) === messageAlreadyStored) {
          return [];
        }

        throw error;
      });

    return toStored(rows[0]);
  }

  private async storeBatch(
    messages: readonly PendingMessage[],
  ): Promise<Array<StoreResult | Error>> {
    if (messages.length === 1) {
      return [await this.storeOne(messages[0]).catch(toError)];
    }

    try {
      return await this.storeMany(messages);
    } catch (error) {
      this.logBatchFailure(error, messages.length);

      // Stored alone, the messages of a batch that timed out or lost its connection would only
      // queue for the pool and fail the same way, so they all fail now and Blooio retries them.
      if (isDatabaseUnavailable(error)) {
        return messages.map(() => toError(error));
      }

      return this.storeEachInTurn(messages);
    }
  }

  // One message can fail a whole batch (a deleted tenant, a value the database rejects), so each
  // is stored alone and only the faulty one fails. They go one after another inside the batch's
  // slot, so a failed batch uses one connection, as the batch did.
  private async storeEachInTurn(
    messages: readonly PendingMessage[],
  ): Promise<Array<StoreResult | Error>> {
    const results: Array<StoreResult | Error> = [];

    for (const message of messages) {
      results.push(await this.storeOne(message).catch(toError));
    }

    return results;
  }

  private async storeMany(messages: readonly PendingMessage[]): Promise<StoreResult[]> {
    // Sorting by contact makes two batches that touch the same contacts take most of their row
    // locks in the same order. It cannot order every lock (see retryableSqlStates), so deadlocks
    // become rare, not impossible.
    const order = messages
      .map((message, index) => ({ key: lockOrderKey(message), index }))
      .sort(byKey)
      .map(({ index }) => index);
    const elements = toWellFormedJson(order.map((index) => toBatchElement(messages[index])));
    const tenantIds = [...new Set(messages.map(({ input }) => input.tenantId))];

    const rows = await this.db.selfScopedBatch<BatchRow>(tenantIds, {
      name: 'aias_store_inbound_messages',
      text: storeManySql,
      values: [elements, this.config.replies.worker.maxAttempts],
    });

    // A message without its row would be reported as a duplicate and never stored.
    if (rows.length !== messages.length) {
      throw new Error(`store_inbound_messages returned ${rows.length} rows for ${messages.length}`);
    }

    const results: StoreResult[] = new Array<StoreResult>(messages.length);

    for (const row of rows) {
      results[order[row.idx - 1]] = toStored(row);
    }

    return results;
  }

  // NOTE: a batch runs in the async context of the request that started it, so this line carries
  // that request's req.id and tenantId even when the batch holds other tenants' messages.
  private logBatchFailure(error: unknown, size: number): void {
    const sqlState = sqlStateOf(error) ?? 'none';
    const skipped = this.failures.sample(sqlState);

    if (skipped !== undefined) {
      this.logger.warn(
        { sqlState, size, skipped },
        'A batch of received messages failed; storing them one by one',
      );
    }
  }
}
