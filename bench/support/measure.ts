import path from 'node:path';

import { cpuSeconds, loadAverage, postmasterPid } from './cpu-usage';
import { runLoad } from './load';
import type { LoadOptions, LoadResult } from './load';
import type { RowCheck } from './rows';
import type { ServerProcess } from './server-process';

const databaseDir = path.join(process.env.BENCH_DIR ?? '/tmp/aias-bench', 'pg');

export interface Measurement {
  scenario: string;
  target: string;
  phase: string;
  repeat: number;
  /** /proc/loadavg (1, 5, 15 minutes) when the phase started: the machine is shared. */
  loadAverage: string;
  load: LoadResult;
  /** CPU time per completed request, in microseconds, of the server and of PostgreSQL's backends. */
  cpuMicrosPerRequest: { server: number; database: number };
  rows?: RowCheck;
}

/** Runs one load phase and records the CPU that the server and PostgreSQL spent on it. */
export async function measure(
  labels: { scenario: string; target: string; phase: string; repeat: number },
  server: ServerProcess,
  options: LoadOptions,
): Promise<Measurement> {
  const postmaster = postmasterPid(databaseDir);
  const serverPid = server.pid ?? 0;
  const started = loadAverage();
  const serverBefore = cpuSeconds(serverPid);
  const databaseBefore = postmaster ? cpuSeconds(postmaster, true) : 0;
  const load: LoadResult = await runLoad(options);
  const serverAfter = cpuSeconds(serverPid);
  const databaseAfter = postmaster ? cpuSeconds(postmaster, true) : 0;
  const completed = Math.max(1, load.total);

  return {
    ...labels,
    loadAverage: started,
    load,
    cpuMicrosPerRequest: {
      server: Math.round(((serverAfter - serverBefore) * 1e6) / completed),
      database: Math.round(((databaseAfter - databaseBefore) * 1e6) / completed),
    },
  };
}

export function formatMeasurement(measurement: Measurement): string {
  const { load, rows } = measurement;
  const statuses = Object.entries(load.statusCounts)
    .map(([code, count]) => `${code}:${count}`)
    .join(' ');
  const rowText = rows
    ? ` rows: accepted ${rows.accepted}, messages ${rows.messages}, inbox ${rows.inboxRows}, lost ${rows.lost}, duplicated ${rows.duplicated}, stored in flight ${rows.storedInFlight}, unacknowledged ${rows.unacknowledged} ${rows.isConsistent ? 'OK' : 'MISMATCH'}`
    : '';

  return (
    `${measurement.scenario}/${measurement.target}/${measurement.phase}#${measurement.repeat}: ` +
    `${load.requestsPerSecond.toFixed(0)} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ` +
    `[${statuses}] errors ${load.errors} timeouts ${load.timeouts}, ` +
    `cpu/request server ${measurement.cpuMicrosPerRequest.server} µs db ${measurement.cpuMicrosPerRequest.database} µs, ` +
    `load ${measurement.loadAverage}${rowText}`
  );
}
