import { measure } from '../support/measure';
import { ServerProcess } from '../support/server-process';
import { targetSpec } from '../support/targets';
import type { ScenarioContext } from './context';

const listConnections = 20;
const warmUpSeconds = 2;

/**
 * Tenant API list queries: GET /v1/conversations?limit=50 with each tenant's read-only API key,
 * round robin over the 50 tenants. Skipped, with a note in the results, when the service has no
 * such route (the tenant API not merged yet).
 */
export async function runListQueries(context: ScenarioContext): Promise<void> {
  const target = 'nest-fastify';
  const spec = targetSpec(target, context.fixture, context.runId);
  const server = new ServerProcess(spec, `list-${target}-${context.repeat}`);
  const tenants = context.fixture.tenants;
  const options = {
    port: spec.port,
    path: '/v1/conversations?limit=50',
    method: 'GET' as const,
    connections: listConnections,
    nextRequest: (sequence: number) => ({
      body: Buffer.alloc(0),
      headers: { 'x-api-key': tenants[sequence % tenants.length].readKey },
    }),
  };

  await server.start();

  try {
    const warmUp = await measure(
      { scenario: 'list', target, phase: 'warmup', repeat: context.repeat },
      server,
      {
        ...options,
        durationSeconds: warmUpSeconds,
      },
    );

    if ((warmUp.load.statusCounts['404'] ?? 0) > 0) {
      console.log(
        'list: skipped, GET /v1/conversations answers 404 (the tenant API is not in this build)',
      );

      return;
    }

    context.record(
      await measure(
        { scenario: 'list', target, phase: 'queries', repeat: context.repeat },
        server,
        {
          ...options,
          durationSeconds: context.durationSeconds,
        },
      ),
    );
  } finally {
    await server.stop();
  }
}
