import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';

import { HttpFake, sendJson } from './http-fake';

export const fakeBlooioApiKey = 'blooio-test-key';

/** What the fake does with the next request whose idempotency key it has not billed yet. */
export type BlooioBehaviour =
  | { kind: 'accept' }
  /** Bills the message, then responds only after `delayMs` (a client timeout sees no response). */
  | { kind: 'accept_slowly'; delayMs: number }
  /** Bills the message and does not respond until release() is called. */
  | { kind: 'hold' }
  | { kind: 'fail'; status: number; code?: string; retryAfter?: string };

export interface BlooioRequest {
  rawPath: string;
  chatId: string;
  idempotencyKey?: string;
  fromNumber?: string;
  authorization?: string;
  text?: unknown;
}

export interface BilledMessage {
  messageId: string;
  chatId: string;
  fromNumber?: string;
  text: string;
}

/**
 * A fake of Blooio's send endpoint (POST /v2/api/chats/{chatId}/messages) that bills each new
 * Idempotency-Key once, like the real API: a repeated key gets the original message back with
 * 200 (or 409 when duplicateStatus is 409) and is not billed again.
 */
export class FakeBlooio {
  readonly requests: BlooioRequest[] = [];
  readonly billed = new Map<string, BilledMessage>();
  duplicateStatus: 200 | 409 = 200;
  /** Called after a message is billed, e.g. to make the other bot of a loop reply to it. */
  onBilled?: (message: BilledMessage) => void;
  private readonly script: BlooioBehaviour[] = [];
  private readonly held: (() => void)[] = [];
  private readonly server = new HttpFake((request, body, response) => {
    this.handle(request.url ?? '', request.headers, body, response);
  });

  get baseUrl(): string {
    return `${this.server.url}/v2/api`;
  }

  get billedCount(): number {
    return this.billed.size;
  }

  async start(): Promise<this> {
    await this.server.start();

    return this;
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  willRespond(...behaviours: BlooioBehaviour[]): this {
    this.script.push(...behaviours);

    return this;
  }

  release(): void {
    for (const respond of this.held.splice(0)) {
      respond();
    }
  }

  async waitForRequests(count: number, timeoutMs = 15000): Promise<void> {
    const deadline = Date.now() + timeoutMs;

    while (this.requests.length < count) {
      if (Date.now() > deadline) {
        throw new Error(`Fake Blooio got ${this.requests.length} requests, expected ${count}`);
      }

      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  private handle(
    rawPath: string,
    headers: Record<string, string | string[] | undefined>,
    body: string,
    response: ServerResponse,
  ): void {
    const match = /^\/v2\/api\/chats\/([^/]+)\/messages$/.exec(rawPath);
    const header = (name: string): string | undefined => {
      const value = headers[name];

      return Array.isArray(value) ? value[0] : value;
    };

    if (!match) {
      sendJson(response, 404, { error: 'Not Found', code: 'not_found', status: 404 });

      return;
    }

    const parsed = JSON.parse(body || '{}') as { text?: unknown };
    const request: BlooioRequest = {
      rawPath,
      chatId: decodeURIComponent(match[1]),
      idempotencyKey: header('idempotency-key'),
      fromNumber: header('x-from-number'),
      authorization: header('authorization'),
      text: parsed.text,
    };

    this.requests.push(request);

    if (request.authorization !== `Bearer ${fakeBlooioApiKey}`) {
      sendJson(response, 401, { error: 'Unauthorized', code: 'unauthorized', status: 401 });

      return;
    }

    const existing = request.idempotencyKey ? this.billed.get(request.idempotencyKey) : undefined;

    if (existing) {
      sendJson(response, this.duplicateStatus, {
        message_id: existing.messageId,
        status: 'queued',
        ...(this.duplicateStatus === 409 ? { code: 'duplicate_idempotency_key' } : {}),
      });

      return;
    }

    this.respond(this.script.shift() ?? { kind: 'accept' }, request, response);
  }

  private respond(
    behaviour: BlooioBehaviour,
    request: BlooioRequest,
    response: ServerResponse,
  ): void {
    if (behaviour.kind === 'fail') {
      const headers: Record<string, string> = behaviour.retryAfter
        ? { 'retry-after': behaviour.retryAfter }
        : {};

      sendJson(
        response,
        behaviour.status,
        {
          error: 'Error',
          code: behaviour.code,
          message: 'scripted failure',
          status: behaviour.status,
        },
        headers,
      );

      return;
    }

    const message: BilledMessage = {
      messageId: `msg_${randomUUID()}`,
      chatId: request.chatId,
      fromNumber: request.fromNumber,
      text: String(request.text),
    };

    this.billed.set(request.idempotencyKey ?? message.messageId, message);

    const answer = (): void =>
      sendJson(response, 202, { message_id: message.messageId, status: 'queued' });

    if (behaviour.kind === 'hold') {
      this.held.push(answer);
    } else if (behaviour.kind === 'accept_slowly') {
      setTimeout(answer, behaviour.delayMs);
    } else {
      answer();
    }

    // The other side can only reply once the message is delivered, after our request returned.
    setImmediate(() => this.onBilled?.(message));
  }
}
