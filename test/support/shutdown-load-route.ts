import { createHmac, randomUUID } from 'node:crypto';

import { seedTenant } from './fixtures';
import type { SeededTenant } from './fixtures';
import { connectAs, superuserDatabaseUrl } from './test-database';

export interface LoadRequest {
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string>;
  body?: string;
}

export interface AcceptedRequest {
  sequence: number;
  statusCode: number;
  body: string;
}

/**
 * The request the graceful-shutdown test sends as steady load, and how it checks that every
 * accepted request took effect.
 */
export interface LoadRoute {
  readonly name: string;
  prepare(): Promise<void>;
  /** Builds request number `sequence`; each one is unique so its effect can be found. */
  request(sequence: number): LoadRequest;
  isAccepted(statusCode: number): boolean;
  /** Counts the accepted requests whose effect is confirmed, such as a stored row. */
  countEffects(accepted: AcceptedRequest[]): Promise<number>;
}

/**
 * GET /health/live. It writes nothing, so its effect is the response itself: a 200 body with the
 * commit of the service under test.
 */
export function livenessRoute(commit: string): LoadRoute {
  return {
    name: 'GET /health/live',
    prepare: async () => {},
    request: () => ({ method: 'GET', path: '/health/live', headers: {} }),
    isAccepted: (statusCode) => statusCode === 200,
    countEffects: (accepted) =>
      Promise.resolve(
        accepted.filter((request) => {
          const body = JSON.parse(request.body) as { status?: string; commit?: string };

          return body.status === 'ok' && body.commit === commit;
        }).length,
      ),
  };
}

/**
 * Signed Blooio `message.received` webhooks, each with its own message id, stored as one row in
 * `messages`. The signature is HMAC-SHA256 with the tenant's webhook secret over `<t>.<raw body>`,
 * sent as `X-Blooio-Signature: t=<unix seconds>,v1=<hex>`.
 * NOTE: not run yet, because this branch has no POST /webhooks/blooio route.
 */
export function signedBlooioWebhookRoute(): LoadRoute {
  const runId = randomUUID().slice(0, 8);
  let tenant: SeededTenant | undefined;

  const messageId = (sequence: number): string => `shutdown-${runId}-${sequence}`;

  return {
    name: 'POST /webhooks/blooio',
    prepare: async () => {
      tenant = await seedTenant();
    },
    request: (sequence) => {
      if (!tenant) {
        throw new Error('Call prepare() before building webhook requests');
      }

      const body = JSON.stringify({
        event: 'message.received',
        message_id: messageId(sequence),
        external_id: `+1415555${String(sequence % 10000).padStart(4, '0')}`,
        internal_id: tenant.receivingNumber,
        protocol: 'sms',
        text: `Load message ${sequence}`,
        timestamp: Date.now(),
      });
      const timestamp = Math.floor(Date.now() / 1000);
      const signature = createHmac('sha256', tenant.webhookSecret)
        .update(`${timestamp}.${body}`)
        .digest('hex');

      return {
        method: 'POST',
        path: '/webhooks/blooio',
        headers: {
          'content-type': 'application/json',
          'x-blooio-signature': `t=${timestamp},v1=${signature}`,
        },
        body,
      };
    },
    isAccepted: (statusCode) => statusCode >= 200 && statusCode < 300,
    countEffects: async (accepted) => {
      const client = await connectAs(superuserDatabaseUrl);

      try {
        const result = await client.query<{ count: string }>(
          'SELECT count(*) FROM messages WHERE tenant_id = $1 AND provider_message_id = ANY($2)',
          [tenant?.tenantId, accepted.map((request) => messageId(request.sequence))],
        );

        return Number(result.rows[0].count);
      } finally {
        await client.end();
      }
    },
  };
}

/** Returns the route the shutdown test loads. Switch to signedBlooioWebhookRoute() once the route exists. */
export function shutdownLoadRoute(commit: string): LoadRoute {
  return livenessRoute(commit);
}
