import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { appUrl, resultsDir, serverCpu } from '../support/bench-config';
import { cpuSeconds, loadAverage, postmasterPid } from '../support/cpu-usage';
import { readFixture } from '../support/seed';
import { median } from '../support/summary';
import {
  batchOfTen,
  fiveStatements,
  oneCall,
  oneCallWithJob,
  sevenStatements,
} from './ingest-transactions';

/**
 * PostgreSQL's own ingest ceiling, measured with pgbench as aias_app: the transaction of seven
 * statements, the one of five and the one call of store_inbound_message, each with unnamed statements (-M extended) and prepared ones
 * (-M prepared), 10 clients like the service's pool. pgbench runs on the server core, so
 * PostgreSQL has the other core to itself. Needs the benchmark database (bench/run.ts seeds it).
 */
const durationSeconds = Number(process.env.BENCH_DURATION ?? 10);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const databaseDir = path.join(process.env.BENCH_DIR ?? '/tmp/aias-bench', 'pg');
const variants = {
  'seven-statements': sevenStatements,
  'five-statements': fiveStatements,
  'one-call': oneCall,
  'one-call-with-job': oneCallWithJob,
  'batch-of-10': batchOfTen,
};
const messagesPerTransaction: Record<string, number> = { 'batch-of-10': 10 };
// extended: unnamed statements, parsed and planned on every call, as node-postgres sends them by
// default; prepared: named statements, parsed once per connection.
const modes = ['extended', 'prepared'] as const;

interface PgbenchResult {
  variant: string;
  mode: string;
  repeat: number;
  transactionsPerSecond: number;
  latencyMs: number;
  databaseMicrosPerTransaction: number;
  messagesPerSecond: number;
  databaseMicrosPerMessage: number;
  loadAverage: string;
}

function writeScripts(variant: keyof typeof variants): string[] {
  const folder = path.join(resultsDir, 'pgbench', variant);
  const fixture = readFixture();

  mkdirSync(folder, { recursive: true });

  return fixture.tenants.map((tenant, index) => {
    const file = path.join(folder, `tenant-${index}.sql`);

    writeFileSync(file, `${variants[variant](tenant.tenantId, index, tenant.receivingNumber)}\n`);

    return file;
  });
}

function runPgbench(
  scripts: string[],
  mode: string,
): { tps: number; latencyMs: number; cpu: number } {
  const postmaster = postmasterPid(databaseDir) ?? 0;
  const before = cpuSeconds(postmaster, true);
  const output = execFileSync(
    'taskset',
    [
      '-c',
      process.env.BENCH_PGBENCH_CPU ?? serverCpu,
      'pgbench',
      '--no-vacuum',
      '--client=10',
      '--jobs=1',
      `--time=${durationSeconds}`,
      `--protocol=${mode}`,
      ...scripts.flatMap((script) => ['-f', script]),
      appUrl,
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  // Backends end with pgbench, so their CPU is read from the postmaster's reaped-children total.
  const cpu = cpuSeconds(postmaster, true) - before;
  const tps = Number(/tps = ([\d.]+)/.exec(output)?.[1] ?? 0);
  const latencyMs = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1] ?? 0);

  return { tps, latencyMs, cpu };
}

function main(): void {
  const results: PgbenchResult[] = [];

  for (let repeat = 1; repeat <= repeats; repeat += 1) {
    for (const variant of Object.keys(variants) as (keyof typeof variants)[]) {
      const scripts = writeScripts(variant);

      for (const mode of modes) {
        const started = loadAverage();
        const { tps, latencyMs, cpu } = runPgbench(scripts, mode);
        const messages = messagesPerTransaction[variant] ?? 1;
        const cpuPerTransaction = (cpu * 1e6) / Math.max(1, tps * durationSeconds);
        const result = {
          variant,
          mode,
          repeat,
          transactionsPerSecond: Math.round(tps),
          latencyMs,
          databaseMicrosPerTransaction: Math.round(cpuPerTransaction),
          messagesPerSecond: Math.round(tps * messages),
          databaseMicrosPerMessage: Math.round(cpuPerTransaction / messages),
          loadAverage: started,
        };

        results.push(result);
        console.log(
          `pgbench ${variant} ${mode}#${repeat}: ${result.transactionsPerSecond} tx/s, ` +
            `${result.messagesPerSecond} messages/s, latency ${latencyMs} ms, ` +
            `PostgreSQL ${result.databaseMicrosPerTransaction} µs CPU/tx ` +
            `(${result.databaseMicrosPerMessage} per message), load ${started}`,
        );
      }
    }
  }

  const lines = [
    '| transaction | protocol | tx/s | messages/s | PostgreSQL µs CPU/tx | µs CPU/message | load (1 min) |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- |',
  ];

  for (const variant of Object.keys(variants)) {
    for (const mode of modes) {
      const group = results.filter((result) => result.variant === variant && result.mode === mode);

      lines.push(
        `| ${variant} | ${mode} | ${median(group.map((r) => r.transactionsPerSecond))} | ` +
          `${median(group.map((r) => r.messagesPerSecond))} | ` +
          `${median(group.map((r) => r.databaseMicrosPerTransaction))} | ` +
          `${median(group.map((r) => r.databaseMicrosPerMessage))} | ` +
          `${group.map((r) => r.loadAverage.split(' ')[0]).join(', ')} |`,
      );
    }
  }

  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const output = path.join(resultsDir, `pgbench-${stamp}`);

  writeFileSync(`${output}.json`, JSON.stringify(results, null, 2));
  writeFileSync(`${output}-summary.md`, `${lines.join('\n')}\n`);
  console.log(`\n${lines.join('\n')}\n\nRaw results: ${output}.json`);
}

main();
