import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import {
  BLOOIO_QUOTA_CODES,
  BlooioSendRejectedError,
  BlooioUnavailableError,
} from './blooio.errors';
import { parseRetryAfter, sleep } from './retry-after';

export interface BlooioSendRequest {
  /** The contact's address: an E.164 number or an email. */
  chatId: string;
  /** Our sending number, in E.164. */
  fromNumber: string;
  text: string;
  /** Derived from the logical reply, so every retry of it carries the same key. */
  idempotencyKey: string;
}

export interface BlooioSendResult {
  /** accepted: a new message (202); duplicate: Blooio had this key already (200 or 409). */
  outcome: 'accepted' | 'duplicate';
  providerMessageId?: string;
  providerStatus?: string;
  attempts: number;
}

interface BlooioResponseBody {
  message_id?: unknown;
  message_ids?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
  error?: unknown;
}

type AttemptResult =
  | { kind: 'done'; result: Omit<BlooioSendResult, 'attempts'> }
  | { kind: 'retry'; reason: string; retryAfterMs?: number };

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

// Blooio's codes are identifiers such as reply_target_not_found. Anything else in the field is
// not a code, and it reaches logs, alerts and the database, so it is replaced.
const errorCodePattern = /^[A-Za-z0-9_.:-]{1,64}$/;

function errorCodeOf(value: unknown, status: number): string {
  const code = stringOrUndefined(value);

  if (code === undefined) {
    return `http_${status}`;
  }

  return errorCodePattern.test(code) ? code : `unrecognized_code_http_${status}`;
}

function providerMessageIdOf(body: BlooioResponseBody): string | undefined {
  const ids = Array.isArray(body.message_ids) ? (body.message_ids as unknown[]) : [];

  return stringOrUndefined(body.message_id) ?? stringOrUndefined(ids[0]);
}

/**
 * Sends messages through Blooio's v2 API. Retries network errors, timeouts, 408, 5xx and 429s that
 * carry no quota code, with exponential backoff that honours Retry-After, always with the caller's
 * Idempotency-Key. Never retries other 4xx or the quota codes: those throw BlooioSendRejectedError.
 */
@Injectable()
export class BlooioClient {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BlooioClient.name);
  }

  isConfigured(): boolean {
    return Boolean(this.config.blooio.apiKey);
  }

  async send(request: BlooioSendRequest, signal?: AbortSignal): Promise<BlooioSendResult> {
    const { maxAttempts } = this.config.blooio;
    let lastReason = 'no attempt made';

    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      const outcome = await this.attempt(request, attempt, signal);

      if (outcome.kind === 'done') {
        return { ...outcome.result, attempts: attempt };
      }

      lastReason = outcome.reason;

      if (attempt === maxAttempts) {
        break;
      }

      const delayMs = outcome.retryAfterMs ?? this.backoffMs(attempt);

      if (delayMs > this.config.blooio.maxRetryDelayMs) {
        throw new BlooioUnavailableError(
          `Blooio asked to wait ${delayMs} ms, longer than BLOOIO_MAX_RETRY_DELAY_MS; last error: ${lastReason}`,
          attempt,
        );
      }

      this.logger.warn(
        { idempotencyKey: request.idempotencyKey, attempt, delayMs, reason: lastReason },
        'Blooio send failed; retrying with the same idempotency key',
      );
      await sleep(delayMs, signal);
    }

    throw new BlooioUnavailableError(
      `Blooio send failed after ${maxAttempts} attempts: ${lastReason}`,
      maxAttempts,
    );
  }

  private async attempt(
    request: BlooioSendRequest,
    attempt: number,
    signal?: AbortSignal,
  ): Promise<AttemptResult> {
    const { baseUrl, apiKey, timeoutMs } = this.config.blooio;

    if (!apiKey) {
      throw new Error('BLOOIO_API_KEY is not set: set it to send messages through Blooio');
    }

    const timeout = AbortSignal.timeout(timeoutMs);
    let response: Response;

    try {
      response = await fetch(`${baseUrl}/chats/${encodeURIComponent(request.chatId)}/messages`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${apiKey}`,
          'content-type': 'application/json',
          'idempotency-key': request.idempotencyKey,
          'x-from-number': request.fromNumber,
        },
        body: JSON.stringify({ text: request.text }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch {
      signal?.throwIfAborted();

      return { kind: 'retry', reason: timeout.aborted ? 'request timed out' : 'network error' };
    }

    const body = (await response.json().catch(() => ({}))) as BlooioResponseBody;

    return this.classify(response, body, attempt);
  }

  private classify(response: Response, body: BlooioResponseBody, attempt: number): AttemptResult {
    const status = response.status;
    const code = errorCodeOf(body.code, status);
    const message = stringOrUndefined(body.message) ?? stringOrUndefined(body.error) ?? '';

    if (status === 202 || status === 200 || status === 409) {
      const providerStatus = stringOrUndefined(body.status);

      if (providerStatus === 'failed') {
        throw new BlooioSendRejectedError(status, 'provider_failed', message, attempt);
      }

      return {
        kind: 'done',
        result: {
          outcome: status === 202 ? 'accepted' : 'duplicate',
          providerMessageId: providerMessageIdOf(body),
          providerStatus,
        },
      };
    }

    if (status === 429 && BLOOIO_QUOTA_CODES.includes(code)) {
      throw new BlooioSendRejectedError(status, code, message, attempt);
    }

    if (status === 408 || status === 429 || status >= 500) {
      return {
        kind: 'retry',
        reason: `HTTP ${status} ${code}`,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after')),
      };
    }

    throw new BlooioSendRejectedError(status, code, message, attempt);
  }

  private backoffMs(attempt: number): number {
    const { retryBaseDelayMs, maxRetryDelayMs } = this.config.blooio;
    const exponential = retryBaseDelayMs * 2 ** (attempt - 1);
    const jitter = Math.random() * retryBaseDelayMs;

    return Math.min(exponential + jitter, maxRetryDelayMs);
  }
}
