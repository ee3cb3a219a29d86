import { signatureHeader } from '../support/blooio-requests';
import type { GeneratedRequest } from '../support/load';
import { measure } from '../support/measure';
import { checkRows } from '../support/rows';
import { ServerProcess } from '../support/server-process';
import { targetSpec } from '../support/targets';
import type { TargetName } from '../support/targets';
import { phaseTag } from './context';
import type { ScenarioContext } from './context';
import { ingestConnections, signedMessages } from './ingest';

const firstDeliverySeconds = 3;

/**
 * Redeliveries: first stores a few seconds of unique messages, then sends the same bodies again for
 * the scenario's duration, re-signed with fresh timestamps as Blooio's retries are. Every redelivery
 * must get "duplicate" and the stored rows must not change.
 */
export async function runDuplicates(context: ScenarioContext, target: TargetName): Promise<void> {
  const spec = targetSpec(target, context.fixture, context.runId);
  const server = new ServerProcess(spec, `duplicates-${target}-${context.repeat}`);
  const tag = phaseTag(context, 'duplicates', target, 'replay');
  const first = signedMessages(context.fixture, tag);
  const sent = new Map<string, { body: Buffer; secret: string }>();
  const tenants = context.fixture.tenants;
  const options = { port: spec.port, path: '/webhooks/blooio', connections: ingestConnections };

  await server.start();

  try {
    await measure(
      { scenario: 'duplicates', target, phase: 'first', repeat: context.repeat },
      server,
      {
        ...options,
        durationSeconds: firstDeliverySeconds,
        nextRequest: (sequence) => {
          const request = first.nextRequest(sequence);

          sent.set(request.tag ?? '', {
            body: request.body,
            secret: tenants[sequence % tenants.length].webhookSecret,
          });

          return request;
        },
        onResponse: first.onResponse,
      },
    );

    const stored = [...first.accepted].map((id) => ({ id, ...sent.get(id)! }));
    let duplicates = 0;
    const replay = (sequence: number): GeneratedRequest => {
      const original = stored[sequence % stored.length];

      return {
        body: original.body,
        headers: {
          'content-type': 'application/json',
          'x-blooio-signature': signatureHeader(original.secret, original.body),
        },
      };
    };

    const measurement = await measure(
      { scenario: 'duplicates', target, phase: 'replay', repeat: context.repeat },
      server,
      {
        ...options,
        durationSeconds: context.durationSeconds,
        nextRequest: replay,
        onResponse: (status, body) => {
          if (status === 200 && body.includes('"duplicate"')) {
            duplicates += 1;
          }
        },
      },
    );

    measurement.rows = await checkRows(tag, first.accepted, first.inFlight);
    measurement.load.statusCounts.duplicate = duplicates;
    context.record(measurement);
  } finally {
    await server.stop();
  }
}
