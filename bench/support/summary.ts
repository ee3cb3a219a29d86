import type { Measurement } from './measure';

export interface SummaryRow {
  scenario: string;
  target: string;
  phase: string;
  runs: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** The service's own p99 from its request log; '-' for other servers. */
  serverP99: number | '-';
  /** Open-loop phases: the generator's p99 delay in sending against the schedule. */
  generatorLagP99: number | '-';
  /** Responses other than 2xx, and requests that failed or timed out (medians over the repeats). */
  non2xx: number;
  failed: number;
  /** Share of both cores busy during the phase. */
  machineBusy: number | '-';
  serverMicros: number;
  databaseMicros: number;
  /** The benchmark's Redis server; '-' for results recorded before it was measured. */
  redisMicros: number | '-';
  loadAverages: string[];
  rowsConsistent: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Returns the median when every repeat has a value, otherwise '-'. */
function medianOf(values: Array<number | undefined>): number | '-' {
  return values.every((value): value is number => value !== undefined) && values.length > 0
    ? median(values)
    : '-';
}

/** Medians over the repeats of each scenario, target and phase; warm-up phases are left out. */
export function summarise(measurements: Measurement[]): SummaryRow[] {
  const groups = new Map<string, Measurement[]>();

  for (const measurement of measurements.filter(
    (m) => m.phase !== 'warmup' && m.phase !== 'first',
  )) {
    const key = `${measurement.scenario}|${measurement.target}|${measurement.phase}`;

    groups.set(key, [...(groups.get(key) ?? []), measurement]);
  }

  return [...groups.values()].map((group) => {
    const checked = group.filter((m) => m.rows);
    const consistent = checked.filter((m) => m.rows?.isConsistent).length;

    return {
      scenario: group[0].scenario,
      target: group[0].target,
      phase: group[0].phase,
      runs: group.length,
      requestsPerSecond: Math.round(median(group.map((m) => m.load.requestsPerSecond))),
      p50: median(group.map((m) => m.load.latencyMs.p50)),
      p99: median(group.map((m) => m.load.latencyMs.p99)),
      serverP99: medianOf(group.map((m) => m.serverLatency?.p99)),
      generatorLagP99: medianOf(group.map((m) => m.load.dispatchLagMs?.p99)),
      machineBusy: medianOf(group.map((m) => m.machineBusyShare)),
      non2xx: median(
        group.map((m) =>
          Object.entries(m.load.statusCounts)
            .filter(([status]) => !status.startsWith('2'))
            .reduce((sum, [, count]) => sum + count, 0),
        ),
      ),
      failed: median(group.map((m) => m.load.errors + m.load.timeouts)),
      serverMicros: Math.round(median(group.map((m) => m.cpuMicrosPerRequest.server))),
      databaseMicros: Math.round(median(group.map((m) => m.cpuMicrosPerRequest.database))),
      redisMicros: medianOf(group.map((m) => m.cpuMicrosPerRequest.redis)),
      loadAverages: group.map((m) => m.loadAverage.split(' ')[0]),
      rowsConsistent: checked.length > 0 ? `${consistent}/${checked.length}` : '-',
    };
  });
}

function find(
  rows: SummaryRow[],
  scenario: string,
  target: string,
  phase: string,
): SummaryRow | undefined {
  return rows.find(
    (row) => row.scenario === scenario && row.target === target && row.phase === phase,
  );
}

function ratio(numerator?: SummaryRow, denominator?: SummaryRow): string {
  return numerator && denominator && denominator.requestsPerSecond > 0
    ? `${(numerator.requestsPerSecond / denominator.requestsPerSecond).toFixed(2)}×`
    : 'n/a';
}

/** Formats the medians as a Markdown table, followed by the ratios the targets are stated in. */
export function formatSummary(rows: SummaryRow[]): string {
  const lines = [
    '| scenario | target | phase | runs | req/s | p50 ms | p99 ms | server-side p99 ms | generator lag p99 ms | server µs/req | PostgreSQL µs/req | Redis µs/req | machine busy | non-2xx | errors + timeouts | rows OK | load (1 min) |',
    '| --- | --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
    ...rows.map(
      (row) =>
        `| ${row.scenario} | ${row.target} | ${row.phase} | ${row.runs} | ${row.requestsPerSecond} | ${row.p50} | ${row.p99} | ` +
        `${row.serverP99} | ${row.generatorLagP99} | ${row.serverMicros} | ${row.databaseMicros} | ${row.redisMicros} | ${row.machineBusy} | ` +
        `${row.non2xx} | ${row.failed} | ` +
        `${row.rowsConsistent} | ${row.loadAverages.join(', ')} |`,
    ),
  ];
  const expressIngest = find(rows, 'ingest', 'express-baseline', 'peak');
  const express401 = find(rows, 'reject-401', 'express-baseline', 'flood');

  lines.push(
    '',
    `- ingest, nest-fastify / express-baseline: ${ratio(find(rows, 'ingest', 'nest-fastify', 'peak'), expressIngest)}`,
    `- ingest, nest-fastify / bare-http: ${ratio(find(rows, 'ingest', 'nest-fastify', 'peak'), find(rows, 'ingest', 'bare-http', 'peak'))}`,
    `- 401, nest-fastify / express-baseline: ${ratio(find(rows, 'reject-401', 'nest-fastify', 'flood'), express401)}`,
    `- 401, nest-fastify / express-baseline-cached: ${ratio(find(rows, 'reject-401', 'nest-fastify', 'flood'), find(rows, 'reject-401', 'express-baseline-cached', 'flood'))}`,
    `- 401, nest-fastify / nest-express: ${ratio(find(rows, 'reject-401', 'nest-fastify', 'flood'), find(rows, 'reject-401', 'nest-express', 'flood'))}`,
    `- 429, nest-fastify / express-baseline 401: ${ratio(find(rows, 'reject-429', 'nest-fastify', 'flood'), express401)}`,
  );

  return lines.join('\n');
}
