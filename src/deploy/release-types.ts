import type { CoolifyClient } from './coolify-client';
import type { HealthObservation } from './health-probe';
import type { CommandResult } from './run-command';
import type { AlertSender } from './telegram-alert';

export interface ReleaseSettings {
  applicationUuid: string;
  /** Image tag to deploy; the deploy workflow tags each image with its commit SHA. */
  tag: string;
  /** Commit the new release must report in its /health/ready body. */
  commit: string;
  healthUrl: string;
  timeoutMs: number;
  rollbackTimeoutMs: number;
  pollIntervalMs: number;
  requestTimeoutMs: number;
  migrateCommand?: string;
  migrateTimeoutMs: number;
}

export interface DeployLog {
  info(message: string): void;
  error(message: string): void;
}

export interface ReleaseDependencies {
  coolify: Pick<CoolifyClient, 'getApplication' | 'setImageTag' | 'deploy' | 'getDeploymentStatus'>;
  alert: AlertSender;
  log: DeployLog;
  runCommand(command: string, timeoutMs: number): Promise<CommandResult>;
  probeHealth(url: string, timeoutMs: number): Promise<HealthObservation>;
}

/**
 * The end state of a release. `not-deployed` and `rolled-back` leave production on the previous tag;
 * `needs-attention` means the script could not bring production back to a known state.
 */
export type ReleaseOutcome =
  | { kind: 'released'; message: string }
  | { kind: 'not-deployed'; message: string }
  | { kind: 'rolled-back'; message: string }
  | { kind: 'needs-attention'; message: string };

/** Exit status of the deploy command: 0 released, 1 production unchanged, 2 needs attention. */
export function exitCodeFor(outcome: ReleaseOutcome): number {
  switch (outcome.kind) {
    case 'released':
      return 0;
    case 'not-deployed':
    case 'rolled-back':
      return 1;
    case 'needs-attention':
      return 2;
  }
}
