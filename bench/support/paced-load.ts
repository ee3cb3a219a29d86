import http from 'node:http';
import { performance } from 'node:perf_hooks';

import { build } from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';

import type { LoadOptions, LoadResult } from './load';

const requestTimeoutMs = 10_000;
// The generator opens at most this many sockets per connection of the closed-loop phases (80 for
// 20). Beyond that, requests wait in the agent, and the wait counts, because latency runs from the
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

/**
 * Sends an open-loop load at a constant rate, in the model of wrk2. Request i is due at
 * start + i / rate, whether or not earlier responses have arrived, and its latency runs from that
 * due time. So a stall of the server or of the generator counts for every request it delayed.
 * autocannon's overallRate cannot stand in, because each connection sends back to back until its
 * share of the second is used up and then idles, and its correction assumes one request per ms.
 */
export async function runPacedLoad(
  options: LoadOptions & { overallRate: number },
): Promise<LoadResult> {
  const agent = new http.Agent({
    keepAlive: true,
    maxSockets: options.connections * socketsPerConnection,
  });
  const latency = latencyHistogram();
  const dispatchLag = latencyHistogram();
  const statusCounts: Record<string, number> = {};
  const intervalMs = 1000 / options.overallRate;
  const startedAt = performance.now();
  const endsAt = startedAt + options.durationSeconds * 1000;
  const pending = new Set<Promise<void>>();
  let sequence = 0;
  let errors = 0;
  let timeouts = 0;

  const send = (dueAt: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const generated = options.nextRequest(sequence);

      sequence += 1;
      dispatchLag.recordValue(microsSince(dueAt));

      const request = http.request(
        {
          host: '127.0.0.1',
          port: options.port,
          path: options.path,
          method: options.method ?? 'POST',
          agent,
          headers: { ...generated.headers, 'content-length': String(generated.body.length) },
          timeout: requestTimeoutMs,
        },
        (response) => {
          const chunks: Buffer[] = [];

          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () => {
            const status = response.statusCode ?? 0;

            latency.recordValue(microsSince(dueAt));
            statusCounts[status] = (statusCounts[status] ?? 0) + 1;
            options.onResponse?.(status, Buffer.concat(chunks).toString('utf8'), generated.tag);
            resolve();
          });
        },
      );

      let timedOut = false;

      request.on('timeout', () => {
        timedOut = true;
        timeouts += 1;
        request.destroy();
      });
      // A request that fails or times out counts in the latencies with the time it took to fail,
      // so failures cannot make the percentiles look better.
      request.on('error', () => {
        errors += timedOut ? 0 : 1;
        latency.recordValue(microsSince(dueAt));
        resolve();
      });
      request.end(generated.body);
    });

  await new Promise<void>((resolve) => {
    let nextDueAt = startedAt;

    const tick = (): void => {
      const now = performance.now();

      for (; nextDueAt <= now && nextDueAt < endsAt; nextDueAt += intervalMs) {
        const sent = send(nextDueAt);

        pending.add(sent);
        void sent.then(() => pending.delete(sent));
      }

      if (nextDueAt >= endsAt) {
        resolve();

        return;
      }

      setTimeout(tick, Math.max(0, nextDueAt - performance.now()));
    };

    tick();
  });
  await Promise.all(pending);
  agent.destroy();

  const completed = latency.totalCount - errors - timeouts;

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
    statusCounts,
    errors,
    timeouts,
  };
}
