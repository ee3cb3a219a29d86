import { describeFetchError } from './coolify-client';

/** One look at the service's readiness route. */
export interface HealthObservation {
  statusCode?: number;
  commit?: string;
  error?: string;
}

/** Requests the readiness URL once; never throws, so a poll loop can keep going. */
export async function probeHealth(url: string, timeoutMs: number): Promise<HealthObservation> {
  try {
    const response = await fetch(url, {
      headers: { accept: 'application/json', 'cache-control': 'no-cache' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let commit: string | undefined;

    try {
      const body = JSON.parse(text) as { commit?: unknown };

      commit = typeof body.commit === 'string' ? body.commit : undefined;
    } catch {
      commit = undefined;
    }

    return { statusCode: response.status, commit };
  } catch (error) {
    return { error: describeFetchError(error, timeoutMs) };
  }
}

export function describeObservation(observation: HealthObservation | undefined): string {
  if (!observation) {
    return 'no answer yet';
  }

  if (observation.error) {
    return `unreachable (${observation.error})`;
  }

  return `HTTP ${observation.statusCode} with commit ${observation.commit ?? '(none)'}`;
}
