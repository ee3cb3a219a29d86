import autocannon from 'autocannon';

import { runPacedLoad } from './paced-load';

/** One request the generator sends; `tag` comes back in onResponse (for example the message id). */
export interface GeneratedRequest {
  body: Buffer;
  headers: Record<string, string>;
  tag?: string;
}

export interface LoadOptions {
  port: number;
  path: string;
  method?: 'GET' | 'POST';
  connections: number;
  durationSeconds: number;
  /** Requests per second over all connections; unlimited when absent. */
  overallRate?: number;
  nextRequest: (sequence: number) => GeneratedRequest;
  onResponse?: (status: number, body: string, tag: string | undefined) => void;
}

export interface LoadResult {
  durationSeconds: number;
  connections: number;
  overallRate?: number;
  total: number;
  /** Mean of the per-second request counts. */
  requestsPerSecond: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** Paced phases only: how late the generator sent requests against their due time. */
  dispatchLagMs?: { p50: number; p99: number };
  /** Paced phases only: the lead-in requests, sequences 0 to leadInRequests - 1, not measured. */
  leadInRequests?: number;
  statusCounts: Record<string, number>;
  errors: number;
  timeouts: number;
}

interface ConnectionContext {
  tag?: string;
}

/**
 * Runs a load against 127.0.0.1 for a fixed time, generating each request on the fly: autocannon
 * as fast as the connections allow, or the open-loop generator when a rate is set.
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  if (options.overallRate !== undefined) {
    return runPacedLoad({ ...options, overallRate: options.overallRate });
  }

  let sequence = 0;
  const result = await autocannon({
    url: `http://127.0.0.1:${options.port}`,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 10,
    requests: [
      {
        method: options.method ?? 'POST',
        path: options.path,
        setupRequest: (request: autocannon.Request, context: ConnectionContext) => {
          const generated = options.nextRequest(sequence);

          sequence += 1;
          context.tag = generated.tag;

          return { ...request, body: generated.body, headers: generated.headers };
        },
        onResponse: (status: number, body: string, context: ConnectionContext) => {
          options.onResponse?.(status, body, context.tag);
        },
      },
    ],
  });
  const statusCounts: Record<string, number> = {};

  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) {
    statusCounts[code] = (stats as { count: number }).count;
  }

  return {
    durationSeconds: options.durationSeconds,
    connections: options.connections,
    overallRate: options.overallRate,
    total: result.requests.total,
    requestsPerSecond: result.requests.average,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    statusCounts,
    errors: result.errors,
    timeouts: result.timeouts,
  };
}
