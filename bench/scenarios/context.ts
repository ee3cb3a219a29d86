import type { Measurement } from '../support/measure';
import type { BenchFixture } from '../support/seed';

/** The inputs every scenario gets from the runner. */
export interface ScenarioContext {
  fixture: BenchFixture;
  /** Unique per runner invocation; prefixes message ids and rate-limit keys. */
  runId: string;
  durationSeconds: number;
  repeat: number;
  record(measurement: Measurement): void;
}

/** A tag unique to one phase, used as the prefix of every message id the phase sends. */
export function phaseTag(
  context: ScenarioContext,
  scenario: string,
  target: string,
  phase: string,
): string {
  return `bench-${context.runId}-${scenario}-${target}-${phase}-${context.repeat}`;
}
