import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { LightMyRequestResponse } from 'fastify';

/** Computes HMAC-SHA256 of "<t>.<body>" with the openssl command line, independently of our code. */
export function opensslSignature(secret: string, timestamp: number, body: Buffer): string {
  const output = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret], {
    input: Buffer.concat([Buffer.from(`${timestamp}.`), body]),
  }).toString('utf8');
  const match = /=\s*([0-9a-f]{64})\s*$/.exec(output);

  if (!match) {
    throw new Error(`Unexpected openssl output: ${output}`);
  }

  return match[1];
}

/** Computes the same signature with node:crypto, for tests that send many requests. */
export function nodeSignature(secret: string, timestamp: number, body: Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export function signatureHeader(secret: string, body: Buffer, timestamp = nowSeconds()): string {
  return `t=${timestamp},v1=${nodeSignature(secret, timestamp, body)}`;
}

export function inboundPayload(
  receivingNumber: string,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    event: 'message.received',
    message_id: `msg_${randomUUID()}`,
    external_id: '+14155552671',
    internal_id: receivingNumber,
    protocol: 'imessage',
    text: 'Hi, can I book a cleaning next week?',
    attachments: [],
    is_group: false,
    timestamp: Date.now(),
    received_at: Date.now(),
    ...overrides,
  };
}

export interface SignedPostOptions {
  url?: string;
  headerName?: string;
  timestamp?: number;
  headers?: Record<string, string>;
}

/** Posts a body (an object is serialised once) signed with the secret, as Blooio would. */
export function postSigned(
  app: NestFastifyApplication,
  secret: string,
  payload: Record<string, unknown> | Buffer | string,
  options: SignedPostOptions = {},
): Promise<LightMyRequestResponse> {
  const body = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));

  return app.inject({
    method: 'POST',
    url: options.url ?? '/webhooks/blooio',
    headers: {
      'content-type': 'application/json',
      [options.headerName ?? 'x-blooio-signature']: signatureHeader(
        secret,
        body,
        options.timestamp,
      ),
      ...options.headers,
    },
    payload: body,
  });
}
