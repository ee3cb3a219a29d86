import { inboundBody, signatureHeader } from '../support/blooio-requests';
import type { GeneratedRequest } from '../support/load';
import { analyzeDatabase } from '../support/analyze';
import { measure } from '../support/measure';
import type { Measurement } from '../support/measure';
import { pacedShares } from '../support/bench-config';
import { checkRows } from '../support/rows';
import { serverLatency } from '../support/server-latency';
import { ServerProcess } from '../support/server-process';
import { targetSpec } from '../support/targets';
import type { TargetName } from '../support/targets';
import type { BenchFixture } from '../support/seed';
import { phaseTag } from './context';
import type { ScenarioContext } from './context';

export const ingestConnections = 20;
const warmUpSeconds = 3;

/**
 * Signed message.received deliveries with unique message ids, round robin over the 50 tenants and
 * each tenant's 100 contacts. Returns the generator, the ids whose response was "stored" and the
 * ids sent without a response yet.
 */
export function signedMessages(
  fixture: BenchFixture,
  tag: string,
): {
  nextRequest: (sequence: number) => GeneratedRequest;
  onResponse: (status: number, body: string, messageId: string | undefined) => void;
  accepted: Set<string>;
  inFlight: Set<string>;
} {
  const accepted = new Set<string>();
  const inFlight = new Set<string>();
  const tenantTotal = fixture.tenants.length;

  return {
    accepted,
    inFlight,
    nextRequest: (sequence) => {
      const tenant = fixture.tenants[sequence % tenantTotal];
      const messageId = `${tag}-${sequence}`;
      const body = inboundBody(tenant, messageId, Math.floor(sequence / tenantTotal));

      inFlight.add(messageId);

      return {
        body,
        headers: {
          'content-type': 'application/json',
          'x-blooio-signature': signatureHeader(tenant.webhookSecret, body),
        },
        tag: messageId,
      };
    },
    onResponse: (status, body, messageId) => {
      if (messageId) {
        inFlight.delete(messageId);
      }

      if (status === 200 && messageId && body.includes('"stored"')) {
        accepted.add(messageId);
      }
    },
  };
}

/**
 * Runs a warm-up and ANALYZE, then ingest at full speed (peak), then open-loop phases at shares
 * of that peak's rate (80 %, or the shares in BENCH_PACED_SHARES), against one server. The
 * server's rows are checked against the accepted requests after each phase. bare-http stores
 * nothing, so it runs the peak phase only and has no row check.
 */
export async function runIngest(context: ScenarioContext, target: TargetName): Promise<void> {
  const server = new ServerProcess(
    targetSpec(target, context.fixture, context.runId),
    `ingest-${target}-${context.repeat}`,
  );
  const port = targetSpec(target, context.fixture, context.runId).port;

  const measured: { measurement: Measurement; tag: string }[] = [];

  await server.start();

  try {
    const warmUp = signedMessages(context.fixture, phaseTag(context, 'ingest', target, 'warmup'));

    await measure({ scenario: 'ingest', target, phase: 'warmup', repeat: context.repeat }, server, {
      port,
      path: '/webhooks/blooio',
      connections: ingestConnections,
      durationSeconds: warmUpSeconds,
      ...warmUp,
    });
    await analyzeDatabase();

    const peakMessages = signedMessages(
      context.fixture,
      phaseTag(context, 'ingest', target, 'peak'),
    );
    const peak = await measure(
      { scenario: 'ingest', target, phase: 'peak', repeat: context.repeat },
      server,
      {
        port,
        path: '/webhooks/blooio',
        connections: ingestConnections,
        durationSeconds: context.durationSeconds,
        ...peakMessages,
      },
    );

    measured.push({ measurement: peak, tag: phaseTag(context, 'ingest', target, 'peak') });

    if (target !== 'bare-http') {
      peak.rows = await checkRows(
        phaseTag(context, 'ingest', target, 'peak'),
        peakMessages.accepted,
        peakMessages.inFlight,
      );

      for (const share of pacedShares) {
        const phase = `${Math.round(share * 100)}%`;
        const tag = phaseTag(context, 'ingest', target, `paced${Math.round(share * 100)}`);
        const paced = signedMessages(context.fixture, tag);
        const atRate = await measure(
          { scenario: 'ingest', target, phase, repeat: context.repeat },
          server,
          {
            port,
            path: '/webhooks/blooio',
            connections: ingestConnections,
            durationSeconds: context.durationSeconds,
            overallRate: Math.max(1, Math.round(peak.load.requestsPerSecond * share)),
            ...paced,
          },
        );

        atRate.rows = await checkRows(tag, paced.accepted, paced.inFlight);
        measured.push({ measurement: atRate, tag });
      }
    }
  } finally {
    await server.stop();
  }

  // The service buffers its log, so its own request times are read once it has stopped.
  for (const { measurement, tag } of measured) {
    measurement.serverLatency = serverLatency(
      server.logFile,
      tag,
      measurement.load.leadInRequests ?? 0,
    );
    context.record(measurement);
  }
}
