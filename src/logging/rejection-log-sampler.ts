import type { ServerResponse } from 'node:http';

import type { LevelWithSilent } from 'pino';

import { LogSampler } from '../common/logging/log-sampler';

/** Responses a flood produces by the thousand: a bad signature or key, and an exceeded limit. */
const sampledStatuses = new Set([401, 429]);

const skippedKey = Symbol('skippedRejections');

type SampledResponse = ServerResponse & { [skippedKey]?: number };

/**
 * Thins out the request lines of 401 and 429 responses: at most one line per status code every
 * `intervalMs`, carrying `skippedRejections`, the number of such lines left out since the last.
 * A flood of forged webhooks or an over-limit client would otherwise write a line per request, and
 * the log lines cost more CPU than the rejection itself. Other responses are always logged.
 */
export class RejectionLogSampler {
  private readonly sampler: LogSampler;

  constructor(intervalMs: number) {
    this.sampler = new LogSampler(intervalMs);
  }

  /** pino-http's customLogLevel: 'silent' leaves a sampled-out line unwritten. */
  levelFor(response: ServerResponse): LevelWithSilent {
    if (!sampledStatuses.has(response.statusCode)) {
      return 'info';
    }

    const skipped = this.sampler.sample(String(response.statusCode));

    if (skipped === undefined) {
      return 'silent';
    }

    (response as SampledResponse)[skippedKey] = skipped;

    return 'info';
  }

  /** pino-http's customProps: adds the count to the line that levelFor let through. */
  fieldsFor(response: ServerResponse): { skippedRejections: number } | undefined {
    const skipped = (response as SampledResponse)[skippedKey];

    return skipped ? { skippedRejections: skipped } : undefined;
  }
}
