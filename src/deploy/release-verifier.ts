import { describeObservation } from './health-probe';
import type { HealthObservation } from './health-probe';
import type { ReleaseDependencies, ReleaseSettings } from './release-types';

/** The commit a deployment must report on /health/ready to count as healthy. */
export interface Expectation {
  description: string;
  accepts(commit: string | undefined): boolean;
}

/** Commits match when equal, or when both are hex and one is a prefix of the other (a short SHA). */
export function isSameCommit(reported: string | undefined, expected: string): boolean {
  if (!reported) {
    return false;
  }

  const [left, right] = [reported.toLowerCase(), expected.toLowerCase()];
  const isHex = (value: string): boolean => /^[0-9a-f]{7,40}$/.test(value);

  return (
    left === right ||
    (isHex(left) && isHex(right) && (left.startsWith(right) || right.startsWith(left)))
  );
}

export function expectCommit(commit: string): Expectation {
  return { description: `commit ${commit}`, accepts: (reported) => isSameCommit(reported, commit) };
}

/**
 * Expects the previous release after a rollback. Its tag is a commit SHA when the deploy workflow
 * pushed it. An older tag such as `latest` names no commit, so then any build other than the
 * failed one is accepted.
 */
export function expectRollback(previousTag: string, failedCommit: string): Expectation {
  if (/^[0-9a-f]{7,40}$/i.test(previousTag)) {
    return expectCommit(previousTag);
  }

  return {
    description: `a commit other than ${failedCommit}`,
    accepts: (reported) => reported !== undefined && !isSameCommit(reported, failedCommit),
  };
}

/** Polls a Coolify deployment and the service's /health/ready until both show the expected build. */
export class ReleaseVerifier {
  constructor(
    private readonly settings: ReleaseSettings,
    private readonly deps: ReleaseDependencies,
  ) {}

  /**
   * Returns undefined once the deployment is `finished` and /health/ready returns 200 with the
   * expected commit, or the reason it is not healthy: a failed or cancelled deployment, or the
   * state at `timeoutMs`.
   */
  async waitUntilHealthy(
    deploymentUuid: string,
    expectation: Expectation,
    timeoutMs: number,
  ): Promise<string | undefined> {
    const deadline = Date.now() + timeoutMs;
    let status = 'unknown';
    let lastReport = '';

    for (;;) {
      status = await this.readDeploymentStatus(deploymentUuid, status);

      if (status === 'failed' || status === 'cancelled-by-user') {
        return `Coolify reports deployment ${deploymentUuid} as ${status}`;
      }

      const health = await this.deps.probeHealth(
        this.settings.healthUrl,
        this.settings.requestTimeoutMs,
      );

      if (
        status === 'finished' &&
        health.statusCode === 200 &&
        expectation.accepts(health.commit)
      ) {
        return undefined;
      }

      const report = `deployment ${status}; /health/ready: ${describeObservation(health)}`;

      if (report !== lastReport) {
        this.deps.log.info(`Waiting for ${expectation.description}: ${report}`);
        lastReport = report;
      }

      if (Date.now() >= deadline) {
        return describeTimeout(timeoutMs, status, health, expectation);
      }

      await sleep(Math.min(this.settings.pollIntervalMs, Math.max(0, deadline - Date.now())));
    }
  }

  private async readDeploymentStatus(deploymentUuid: string, lastStatus: string): Promise<string> {
    try {
      return await this.deps.coolify.getDeploymentStatus(deploymentUuid);
    } catch (error) {
      // A status read can fail while Coolify is busy; the deadline still bounds the wait.
      this.deps.log.error(
        `Reading deployment ${deploymentUuid} failed: ${error instanceof Error ? error.message : String(error)}`,
      );

      return lastStatus;
    }
  }
}

function describeTimeout(
  timeoutMs: number,
  status: string,
  health: HealthObservation,
  expectation: Expectation,
): string {
  const waited = `within ${Math.round(timeoutMs / 1000)} s`;

  if (health.statusCode === 200 && !expectation.accepts(health.commit)) {
    return `/health/ready still reports commit ${health.commit ?? '(none)'} instead of ${expectation.description} ${waited} (deployment ${status})`;
  }

  if (status !== 'finished') {
    return `the Coolify deployment did not finish ${waited}: it is ${status}; /health/ready: ${describeObservation(health)}`;
  }

  return `/health/ready did not turn ready ${waited}: ${describeObservation(health)}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
