import { writeFileSync } from 'node:fs';
import path from 'node:path';

import { runDuplicates } from './scenarios/duplicates';
import { runIngest } from './scenarios/ingest';
import { runListQueries } from './scenarios/list';
import { runBadSignatureFlood, runOverLimitFlood } from './scenarios/rejection';
import type { ScenarioContext } from './scenarios/context';
import { ensureResultsDirs, resultsDir } from './support/bench-config';
import { formatMeasurement } from './support/measure';
import type { Measurement } from './support/measure';
import { readFixture, seedDatabase } from './support/seed';
import { formatSummary, summarise } from './support/summary';
import { targetOrder } from './support/targets';
import type { TargetName } from './support/targets';

/**
 * Runs the HTTP load scenarios: `node bench/run.ts [scenario…]` with scenarios out of ingest,
 * reject-401, reject-429, duplicates and list (all by default). BENCH_REPEATS (default 3) repeats every
 * scenario, interleaving the targets; BENCH_DURATION (seconds, default 10) bounds each phase;
 * BENCH_SEED=0 reuses the database of the previous run instead of recreating it; BENCH_TARGETS
 * (comma-separated) limits the servers measured.
 */
type Scenario = (context: ScenarioContext) => Promise<void>;

function eachTarget(
  run: (context: ScenarioContext, target: TargetName) => Promise<void>,
  targets: TargetName[],
): Scenario {
  const only = process.env.BENCH_TARGETS?.split(',');

  return async (context) => {
    const selected = targets.filter((name) => !only || only.includes(name));

    for (const target of targetOrder(selected, context.repeat)) {
      await run(context, target);
    }
  };
}

// Set by bench.sh when BENCH_BEFORE_REF names a commit to compare with.
const before: TargetName[] = process.env.BENCH_BEFORE_DIR ? ['nest-fastify-before'] : [];

const scenarios: Record<string, Scenario> = {
  ingest: eachTarget(runIngest, ['bare-http', 'express-baseline', 'nest-fastify', ...before]),
  'reject-401': eachTarget(runBadSignatureFlood, [
    'bare-http',
    'express-baseline',
    'express-baseline-cached',
    'nest-fastify',
    'nest-express',
    ...before,
  ]),
  'reject-429': eachTarget(runOverLimitFlood, ['nest-fastify', ...before]),
  duplicates: eachTarget(runDuplicates, ['express-baseline', 'nest-fastify']),
  list: runListQueries,
};

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const names = requested.length > 0 ? requested : Object.keys(scenarios);
  const unknown = names.filter((name) => !scenarios[name]);

  if (unknown.length > 0) {
    throw new Error(
      `Unknown scenario ${unknown.join(', ')}; expected ${Object.keys(scenarios).join(', ')}`,
    );
  }

  ensureResultsDirs();

  const fixture = process.env.BENCH_SEED === '0' ? readFixture() : await seedDatabase();
  const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const repeats = Number(process.env.BENCH_REPEATS ?? 3);
  const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
  const measurements: Measurement[] = [];
  const output = path.join(resultsDir, `http-${runId}`);

  for (let repeat = 1; repeat <= repeats; repeat += 1) {
    for (const name of names) {
      await scenarios[name]({
        fixture,
        runId,
        durationSeconds,
        repeat,
        record: (measurement) => {
          measurements.push(measurement);
          console.log(formatMeasurement(measurement));
          writeFileSync(`${output}.json`, JSON.stringify(measurements, null, 2));
        },
      });
    }
  }

  const notes = measurements
    .filter((m) => m.note)
    .map((m) => `- ${m.scenario}/${m.target}#${m.repeat}: ${m.note}`);
  const summary = [
    formatSummary(summarise(measurements)),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ].join('\n');

  writeFileSync(`${output}-summary.md`, `${summary}\n`);
  console.log(`\n${summary}\n\nRaw results: ${output}.json`);

  const inconsistent = measurements.filter((m) => m.rows && !m.rows.isConsistent);

  if (inconsistent.length > 0) {
    console.log(
      `Row check FAILED for ${inconsistent.length} phase(s): see the MISMATCH lines above`,
    );
    process.exitCode = 1;
  } else {
    console.log('Row check: every accepted request was stored exactly once, and nothing else was.');
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
