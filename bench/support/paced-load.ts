import { performance } from 'node:perf_hooks';

import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { Pool } from 'undici';

import { leadInSeconds as defaultLeadInSeconds } from './bench-config';
import type { GeneratedRequest, LoadOptions, LoadResult } from './load';

const requestTimeoutMs = 10_000;
// The generator opens at most this many sockets per connection of the closed-loop phases (80 for
// 20). Beyond that, requests wait in the pool, and the wait counts, because latency runs from the
// due time.
const socketsPerConnection = 4;

function latencyHistogram(): Histogram {
  return build({ lowestDiscernibleValue: 1, highestTrackableValue: 600_000_000 });
}

function microsSince(dueAt: number): number {
  return Math.max(1, Math.round((performance.now() - dueAt) * 1000));
}

function millis(histogram: Histogram, percentile: number): number {
  return Number((histogram.getValueAtPercentile(percentile) / 1000).toFixed(1));
}

function isTimeout(error: unknown): boolean {
  const code = (error as { code?: string }).code;

  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT';
}

/**
 * Sends an open-loop load at a constant rate, in the model of wrk2. Request i is due at
 * start + i / rate, whether or not earlier responses have arrived, and its latency runs from that
 * due time. So a stall of the server or of the generator counts for every request it delayed.
 * autocannon's overallRate cannot stand in, because each connection sends back to back until its
 * share of the second is used up and then idles, and its correction assumes one request per ms.
 *
 * The generator shares a core with PostgreSQL, so its own CPU delays the service's queries.
 * Every request is therefore built and signed before the clock starts, and sent through undici,
 * which costs a fraction of node:http's client per request. The phase runs leadInSeconds
 * longer than durationSeconds. Only requests due after the lead-in count in the results, but a
 * failed request counts in errors or timeouts wherever it falls.
 */
export async function runPacedLoad(
  options: LoadOptions & { overallRate: number; leadInSeconds?: number },
): Promise<LoadResult> {
  const intervalMs = 1000 / options.overallRate;
  const leadIn = Math.ceil(((options.leadInSeconds ?? defaultLeadInSeconds) * 1000) / intervalMs);
  const total = leadIn + Math.ceil((options.durationSeconds * 1000) / intervalMs);
  const requests: GeneratedRequest[] = [];

  for (let sequence = 0; sequence < total; sequence += 1) {
    requests.push(options.nextRequest(sequence));
  }

  const pool = new Pool(`http://127.0.0.1:${options.port}`, {
    connections: options.connections * socketsPerConnection,
    pipelining: 1,
    headersTimeout: requestTimeoutMs,
    bodyTimeout: requestTimeoutMs,
  });
  const latency = latencyHistogram();
  const dispatchLag = latencyHistogram();
  const statusCounts: Record<string, number> = {};
  const pending = new Set<Promise<void>>();
  let completed = 0;
  let errors = 0;
  let timeouts = 0;

  const send = async (
    generated: GeneratedRequest,
    dueAt: number,
    isMeasured: boolean,
  ): Promise<void> => {
    if (isMeasured) {
      dispatchLag.recordValue(microsSince(dueAt));
    }

    try {
      const response = await pool.request({
        path: options.path,
        method: options.method ?? 'POST',
        headers: generated.headers,
        body: generated.body,
      });
      const body = await response.body.text();

      options.onResponse?.(response.statusCode, body, generated.tag);

      if (isMeasured) {
        latency.recordValue(microsSince(dueAt));
        statusCounts[response.statusCode] = (statusCounts[response.statusCode] ?? 0) + 1;
        completed += 1;
      }
    } catch (error) {
      if (isTimeout(error)) {
        timeouts += 1;
      } else {
        errors += 1;
      }

      // A request that fails or times out counts in the latencies with the time it took to fail,
      // so failures cannot make the percentiles look better.
      if (isMeasured) {
        latency.recordValue(microsSince(dueAt));
      }
    }
  };

  const startedAt = performance.now();

  await new Promise<void>((resolve) => {
    let next = 0;

    const tick = (): void => {
      const now = performance.now();

      for (; next < total && startedAt + next * intervalMs <= now; next += 1) {
        const sent = send(requests[next], startedAt + next * intervalMs, next >= leadIn);

        pending.add(sent);
        void sent.then(() => pending.delete(sent));
      }

      if (next >= total) {
        resolve();

        return;
      }

      setTimeout(tick, Math.max(0, startedAt + next * intervalMs - performance.now()));
    };

    tick();
  });
  await Promise.all(pending);
  await pool.destroy();

  return {
    durationSeconds: options.durationSeconds,
    connections: options.connections * socketsPerConnection,
    overallRate: options.overallRate,
    total: completed,
    requestsPerSecond: completed / options.durationSeconds,
    latencyMs: {
      p50: millis(latency, 50),
      p90: millis(latency, 90),
      p99: millis(latency, 99),
      max: Number((latency.maxValue / 1000).toFixed(1)),
      mean: Number((latency.mean / 1000).toFixed(1)),
    },
    dispatchLagMs: { p50: millis(dispatchLag, 50), p99: millis(dispatchLag, 99) },
    leadInRequests: leadIn,
    statusCounts,
    errors,
    timeouts,
  };
}
