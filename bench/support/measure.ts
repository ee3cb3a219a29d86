import path from 'node:path';

import { Client } from 'pg';

import { superuserUrl } from './bench-config';

import { cpuSeconds, loadAverage, machineTicks, pidFromFile, postmasterPid } from './cpu-usage';
import { runLoad } from './load';
import type { LoadOptions, LoadResult } from './load';
import type { RowCheck } from './rows';
import type { ServerLatency } from './server-latency';
import type { ServerProcess } from './server-process';

const benchBaseDir = process.env.BENCH_DIR ?? '/tmp/aias-bench';
const databaseDir = path.join(benchBaseDir, 'pg');
const redisPidFile = path.join(benchBaseDir, 'redis.pid');

export interface Measurement {
  scenario: string;
  target: string;
  phase: string;
  repeat: number;
  /** /proc/loadavg (1, 5, 15 minutes) when the phase started: the machine is shared. */
  loadAverage: string;
  load: LoadResult;
  /**
   * CPU time per request served, in microseconds, a paced phase's lead-in included: the server,
   * PostgreSQL's backends, the benchmark's Redis server and the load generator (this process). In
   * paced phases the generator's time includes building and signing every request in advance.
   */
  cpuMicrosPerRequest: { server: number; database: number; redis?: number; generator?: number };
  /** Share of the machine's CPU time, all cores, that was busy during the phase (steal included). */
  machineBusyShare?: number;
  rows?: RowCheck;
  /** The service's own request times for the phase, from its log (the service only). */
  serverLatency?: ServerLatency;
  /** A scenario's own finding, such as requests admitted beyond a rate limit. */
  note?: string;
  /** With BENCH_STATEMENTS=1: what PostgreSQL ran during the phase, from pg_stat_statements. */
  statements?: StatementStats;
}

export interface StatementStats {
  /** Statements (BEGIN and COMMIT included) per completed request: the database round trips. */
  perRequest: number;
  /** Share of the statements that PostgreSQL planned; 1 means nothing was prepared. */
  plannedShare: number;
  /** PostgreSQL's planning and execution time per completed request, in microseconds. */
  planMicrosPerRequest: number;
  execMicrosPerRequest: number;
  top: { query: string; calls: number; plans: number; meanExecMs: number; meanPlanMs: number }[];
}

const isCountingStatements = process.env.BENCH_STATEMENTS === '1';

async function withSuperuser<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: superuserUrl });

  await client.connect();

  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Starts counting: tracking on for top-level statements, counters reset. */
async function resetStatements(): Promise<void> {
  await withSuperuser(async (client) => {
    await client.query(`ALTER SYSTEM SET pg_stat_statements.track = 'top'`);
    await client.query('SELECT pg_reload_conf()');
    await client.query('SELECT pg_stat_statements_reset()');
  });
}

async function readStatements(completed: number): Promise<StatementStats> {
  return withSuperuser(async (client) => {
    const result = await client.query<{
      query: string;
      calls: string;
      plans: string;
      total_exec_time: number;
      total_plan_time: number;
    }>(
      `SELECT query, calls, plans, total_exec_time, total_plan_time FROM pg_stat_statements
       WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
       ORDER BY calls DESC`,
    );

    await client.query(`ALTER SYSTEM SET pg_stat_statements.track = 'none'`);
    await client.query('SELECT pg_reload_conf()');

    const rows = result.rows.map((row) => ({
      query: row.query.replace(/\s+/g, ' ').slice(0, 120),
      calls: Number(row.calls),
      plans: Number(row.plans),
      meanExecMs: row.total_exec_time / Math.max(1, Number(row.calls)),
      meanPlanMs: row.total_plan_time / Math.max(1, Number(row.plans)),
      totalExecMs: row.total_exec_time,
      totalPlanMs: row.total_plan_time,
    }));
    const calls = rows.reduce((sum, row) => sum + row.calls, 0);
    const plans = rows.reduce((sum, row) => sum + row.plans, 0);

    return {
      perRequest: Number((calls / completed).toFixed(2)),
      plannedShare: Number((plans / Math.max(1, calls)).toFixed(2)),
      planMicrosPerRequest: Math.round(
        (rows.reduce((sum, row) => sum + row.totalPlanMs, 0) * 1000) / completed,
      ),
      execMicrosPerRequest: Math.round(
        (rows.reduce((sum, row) => sum + row.totalExecMs, 0) * 1000) / completed,
      ),
      top: rows
        .slice(0, 12)
        .map(({ query, calls: count, plans: planned, meanExecMs, meanPlanMs }) => ({
          query,
          calls: count,
          plans: planned,
          meanExecMs: Number(meanExecMs.toFixed(4)),
          meanPlanMs: Number(meanPlanMs.toFixed(4)),
        })),
    };
  });
}

/** Runs one load phase and records the CPU that the server and PostgreSQL spent on it. */
export async function measure(
  labels: { scenario: string; target: string; phase: string; repeat: number },
  server: ServerProcess,
  options: LoadOptions,
): Promise<Measurement> {
  const postmaster = postmasterPid(databaseDir);
  const redisPid = pidFromFile(redisPidFile);
  const serverPid = server.pid ?? 0;
  const started = loadAverage();

  if (isCountingStatements) {
    await resetStatements();
  }

  const serverBefore = cpuSeconds(serverPid);
  const databaseBefore = postmaster ? cpuSeconds(postmaster, true) : 0;
  const redisBefore = redisPid ? cpuSeconds(redisPid) : 0;
  const generatorBefore = process.cpuUsage();
  const machineBefore = machineTicks();
  const load: LoadResult = await runLoad(options);
  const machineAfter = machineTicks();
  const generatorUsed = process.cpuUsage(generatorBefore);
  const serverAfter = cpuSeconds(serverPid);
  const databaseAfter = postmaster ? cpuSeconds(postmaster, true) : 0;
  const redisAfter = redisPid ? cpuSeconds(redisPid) : 0;
  const completed = Math.max(1, load.total);
  // A paced phase's lead-in requests are served inside the measured CPU time but left out of
  // load.total, so the CPU is shared over both.
  const served = completed + (load.leadInRequests ?? 0);

  return {
    ...labels,
    loadAverage: started,
    load,
    statements: isCountingStatements ? await readStatements(served) : undefined,
    cpuMicrosPerRequest: {
      server: Math.round(((serverAfter - serverBefore) * 1e6) / served),
      database: Math.round(((databaseAfter - databaseBefore) * 1e6) / served),
      redis: Math.round(((redisAfter - redisBefore) * 1e6) / served),
      generator: Math.round((generatorUsed.user + generatorUsed.system) / served),
    },
    machineBusyShare: Number(
      (
        (machineAfter.busy - machineBefore.busy) /
        Math.max(1, machineAfter.total - machineBefore.total)
      ).toFixed(2),
    ),
  };
}

export function formatMeasurement(measurement: Measurement): string {
  const { load, rows } = measurement;
  const statuses = Object.entries(load.statusCounts)
    .map(([code, count]) => `${code}:${count}`)
    .join(' ');
  const rowText = rows
    ? ` rows: accepted ${rows.accepted}, messages ${rows.messages}, inbox ${rows.inboxRows}, lost ${rows.lost}, duplicated ${rows.duplicated}, stored in flight ${rows.storedInFlight}, unacknowledged ${rows.unacknowledged}${rows.replyJobs === undefined ? '' : `, reply jobs ${rows.replyJobs}`} ${rows.isConsistent ? 'OK' : 'MISMATCH'}`
    : '';

  return (
    `${measurement.scenario}/${measurement.target}/${measurement.phase}#${measurement.repeat}: ` +
    `${load.requestsPerSecond.toFixed(0)} req/s, p50 ${load.latencyMs.p50} ms, p99 ${load.latencyMs.p99} ms, ` +
    `[${statuses}] errors ${load.errors} timeouts ${load.timeouts}, ` +
    `cpu/request server ${measurement.cpuMicrosPerRequest.server} µs db ${measurement.cpuMicrosPerRequest.database} µs ` +
    `redis ${measurement.cpuMicrosPerRequest.redis ?? '?'} µs ` +
    `generator ${measurement.cpuMicrosPerRequest.generator ?? '?'} µs, machine busy ${measurement.machineBusyShare ?? '?'}, ` +
    `load ${measurement.loadAverage}${rowText}` +
    (measurement.serverLatency
      ? `, server-side p50 ${measurement.serverLatency.p50} ms p99 ${measurement.serverLatency.p99} ms max ${measurement.serverLatency.max} ms`
      : '') +
    (load.dispatchLagMs
      ? `, generator lag p50 ${load.dispatchLagMs.p50} ms p99 ${load.dispatchLagMs.p99} ms`
      : '') +
    (measurement.note ? ` NOTE: ${measurement.note}` : '') +
    (measurement.statements
      ? ` statements/request ${measurement.statements.perRequest}, planned ${measurement.statements.plannedShare}, ` +
        `db plan ${measurement.statements.planMicrosPerRequest} µs + exec ${measurement.statements.execMicrosPerRequest} µs per request`
      : '')
  );
}
