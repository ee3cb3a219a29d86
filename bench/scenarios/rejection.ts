import { forgedSignatureHeader, inboundBody } from '../support/blooio-requests';
import { measure } from '../support/measure';
import { checkRows } from '../support/rows';
import { ServerProcess } from '../support/server-process';
import { targetSpec } from '../support/targets';
import type { TargetName } from '../support/targets';
import { phaseTag } from './context';
import type { ScenarioContext } from './context';
import { signedMessages } from './ingest';

const floodConnections = 50;
const warmUpSeconds = 2;

/**
 * A flood of deliveries for known receiving numbers with well-formed, fresh signature headers whose
 * digests match no secret: every request must get 401 and none may be stored.
 */
export async function runBadSignatureFlood(
  context: ScenarioContext,
  target: TargetName,
): Promise<void> {
  const spec = targetSpec(target, context.fixture, context.runId);
  const server = new ServerProcess(spec, `reject-401-${target}-${context.repeat}`);
  const tag = phaseTag(context, 'reject-401', target, 'flood');
  const tenants = context.fixture.tenants;
  const nextRequest = (sequence: number) => {
    const body = inboundBody(tenants[sequence % tenants.length], `${tag}-${sequence}`, sequence);

    return {
      body,
      headers: {
        'content-type': 'application/json',
        'x-blooio-signature': forgedSignatureHeader(),
      },
    };
  };

  await server.start();

  try {
    const options = {
      port: spec.port,
      path: '/webhooks/blooio',
      connections: floodConnections,
      nextRequest,
    };

    await measure(
      { scenario: 'reject-401', target, phase: 'warmup', repeat: context.repeat },
      server,
      {
        ...options,
        durationSeconds: warmUpSeconds,
      },
    );

    const flood = await measure(
      { scenario: 'reject-401', target, phase: 'flood', repeat: context.repeat },
      server,
      {
        ...options,
        durationSeconds: context.durationSeconds,
      },
    );

    if (target !== 'bare-http') {
      flood.rows = await checkRows(tag, new Set());
    }

    context.record(flood);
  } finally {
    await server.stop();
  }
}

/** Requests per window allowed to the one client of the over-limit flood. */
export const overLimitBurst = 50;

/**
 * Validly signed, unique deliveries from one client (127.0.0.1) against low per-IP limits set
 * through the environment: the first RATE_LIMIT_IP_BURST_LIMIT are stored, every later one must get
 * 429, and exactly the accepted ones are in the database afterwards.
 */
export async function runOverLimitFlood(
  context: ScenarioContext,
  target: TargetName,
): Promise<void> {
  const limits = {
    RATE_LIMIT_IP_BURST_LIMIT: String(overLimitBurst),
    RATE_LIMIT_IP_BURST_WINDOW_SECONDS: '3600',
    RATE_LIMIT_IP_SUSTAINED_LIMIT: '1000000000',
  };
  const spec = targetSpec(
    target,
    context.fixture,
    `${context.runId}-${target}-${context.repeat}`,
    limits,
  );
  const server = new ServerProcess(spec, `reject-429-${target}-${context.repeat}`);
  const tag = phaseTag(context, 'reject-429', target, 'flood');
  const messages = signedMessages(context.fixture, tag);

  await server.start();

  try {
    const flood = await measure(
      { scenario: 'reject-429', target, phase: 'flood', repeat: context.repeat },
      server,
      {
        port: spec.port,
        path: '/webhooks/blooio',
        connections: floodConnections,
        durationSeconds: context.durationSeconds,
        ...messages,
      },
    );

    flood.rows = await checkRows(tag, messages.accepted, messages.inFlight);

    if (flood.rows.messages > overLimitBurst) {
      flood.note = `stored ${flood.rows.messages} messages with a limit of ${overLimitBurst}: admitted beyond the limit`;
    }

    context.record(flood);
  } finally {
    await server.stop();
  }
}
