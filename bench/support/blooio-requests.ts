import { createHmac, randomBytes } from 'node:crypto';

import type { BenchTenant } from './seed';

/** Builds a message.received body as Blooio sends it, with the given message id. */
export function inboundBody(tenant: BenchTenant, messageId: string, contactIndex: number): Buffer {
  const now = Date.now();

  return Buffer.from(
    JSON.stringify({
      event: 'message.received',
      message_id: messageId,
      external_id: tenant.contacts[contactIndex % tenant.contacts.length],
      internal_id: tenant.receivingNumber,
      protocol: 'imessage',
      text: 'Hi, can I book a cleaning next week?',
      attachments: [],
      is_group: false,
      timestamp: now,
      received_at: now,
    }),
  );
}

/** Builds the X-Blooio-Signature value: HMAC-SHA256 over "<t>.<raw body>" keyed with the whsec_ secret. */
export function signatureHeader(
  secret: string,
  body: Buffer,
  timestamp = Math.floor(Date.now() / 1000),
): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');

  return `t=${timestamp},v1=${digest}`;
}

/** Builds a well-formed header with a fresh timestamp whose digest matches no secret. */
export function forgedSignatureHeader(): string {
  return `t=${Math.floor(Date.now() / 1000)},v1=${randomBytes(32).toString('hex')}`;
}
