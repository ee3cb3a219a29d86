import { readFileSync } from 'node:fs';

import { build } from 'hdr-histogram-js';

/** Percentiles of the server's own request times, in milliseconds. */
export interface ServerLatency {
  requests: number;
  p50: number;
  p99: number;
  max: number;
}

/**
 * Reads the service's request log after it stopped and returns the percentiles of `responseTime`
 * over the requests whose provider message id carries the phase tag and a sequence number of at
 * least `fromSequence` (the paced phases leave out their lead-in). That time runs from the request
 * reaching the service to the response, without the load generator's own delays. Returns
 * undefined for servers whose log lines carry no message id.
 */
export function serverLatency(
  logFile: string,
  tag: string,
  fromSequence = 0,
): ServerLatency | undefined {
  const marker = `"providerMessageId":"${tag}-`;
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000 });

  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.includes(marker) || !line.includes('"responseTime":')) {
      continue;
    }

    const { responseTime, providerMessageId } = JSON.parse(line) as {
      responseTime?: number;
      providerMessageId?: string;
    };
    const sequence = Number(providerMessageId?.slice(tag.length + 1));

    if (typeof responseTime === 'number' && sequence >= fromSequence) {
      histogram.recordValue(Math.max(1, Math.round(responseTime * 1000)));
    }
  }

  if (histogram.totalCount === 0) {
    return undefined;
  }

  const millis = (microseconds: number): number => Number((microseconds / 1000).toFixed(1));

  return {
    requests: histogram.totalCount,
    p50: millis(histogram.getValueAtPercentile(50)),
    p99: millis(histogram.getValueAtPercentile(99)),
    max: millis(histogram.maxValue),
  };
}
