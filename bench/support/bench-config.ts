import { mkdirSync } from 'node:fs';
import path from 'node:path';

/** Ports, URLs and folders of one benchmark run. Every server listens on 127.0.0.1 only. */
export const benchDir = path.resolve(__dirname, '..');
export const repoDir = path.resolve(benchDir, '..');
export const resultsDir = path.join(benchDir, 'results');
export const logsDir = path.join(resultsDir, 'logs');

const pgPort = Number(process.env.BENCH_PG_PORT ?? 25438);

export const redisPort = Number(process.env.BENCH_REDIS_PORT ?? 16388);
export const redisUrl = `redis://127.0.0.1:${redisPort}/0`;
export const databaseName = process.env.BENCH_DATABASE ?? 'aias_bench';
export const adminUrl = `postgresql://postgres@127.0.0.1:${pgPort}/postgres`;
export const superuserUrl = `postgresql://postgres@127.0.0.1:${pgPort}/${databaseName}`;
export const appUrl = `postgresql://aias_app@127.0.0.1:${pgPort}/${databaseName}`;

/**
 * The HTTP servers under test. The ports lie below Linux's ephemeral range (32768–60999), where an
 * outgoing connection could hold one and the next server to start on it would fail (EADDRINUSE).
 */
export const ports = {
  nestFastify: 28081,
  nestExpress: 28082,
  expressBaseline: 28083,
  bareHttp: 28084,
  nestFastifyBefore: 28085,
} as const;

/** Core of the server under test; the load generator, PostgreSQL and Redis run on the other one. */
export const serverCpu = process.env.BENCH_SERVER_CPU ?? '1';
export const loadCpu = process.env.BENCH_LOAD_CPU ?? '0';

/** Reads BENCH_PACED_SHARES, rejecting a share outside (0, 1] instead of skipping its phase. */
export function readPacedShares(value = '0.8'): number[] {
  // An empty entry reads as 0, which the range check rejects.
  const shares = value.split(',').map(Number);

  if (shares.some((share) => !(share > 0 && share <= 1))) {
    throw new Error(
      `BENCH_PACED_SHARES must list shares of the peak rate above 0 and at most 1, such as "0.5,0.8"; got "${value}"`,
    );
  }

  return shares;
}

/** Reads BENCH_LEAD_IN_SECONDS, a number of seconds, 0 or more. */
export function readLeadInSeconds(value = '3'): number {
  const seconds = Number(value);

  if (value.trim() === '' || !Number.isFinite(seconds) || seconds < 0) {
    throw new Error(`BENCH_LEAD_IN_SECONDS must be a number of seconds, 0 or more; got "${value}"`);
  }

  return seconds;
}

/** Counts the CPUs of a taskset list such as "1", "0,1" or "0-3". */
export function cpuCount(list: string): number {
  return list.split(',').reduce((count, part) => {
    const [first, last] = part.split('-').map(Number);

    return count + (last === undefined ? 1 : last - first + 1);
  }, 0);
}

/**
 * Threads of V8's worker pool in each server under test (Node's --v8-pool-size), from
 * BENCH_V8_POOL_SIZE. By default one per core of BENCH_SERVER_CPU: Node starts 4 whatever the
 * CPU count, and on one pinned core the extra threads of parallel garbage collection compete with
 * the main thread. "node" leaves Node's default.
 */
export const v8PoolSize = process.env.BENCH_V8_POOL_SIZE ?? String(cpuCount(serverCpu));

/**
 * Shares of the peak rate at which the ingest scenario runs its open-loop phases, from
 * BENCH_PACED_SHARES (comma-separated, e.g. "0.5,0.65,0.8"). The target is stated at 0.8.
 */
export const pacedShares = readPacedShares(process.env.BENCH_PACED_SHARES);

/**
 * Seconds at the start of each paced phase whose requests are sent, and their rows checked, but
 * whose latencies are not recorded, from BENCH_LEAD_IN_SECONDS (default 3). In the first second
 * the generator opens its sockets and compiles its send path. After a change of rate, the next two
 * seconds held clusters of slow responses that a steady load at that rate did not (BENCHMARKS.md,
 * "The phase before the 80 % phase"). wrk2 leaves out a calibration period for the same reasons.
 */
export const leadInSeconds = readLeadInSeconds(process.env.BENCH_LEAD_IN_SECONDS);

export const tenantCount = 50;
export const contactsPerTenant = 100;

export function ensureResultsDirs(): void {
  mkdirSync(logsDir, { recursive: true });
}
