import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { request } from 'node:http';
import path from 'node:path';

import { logsDir, repoDir, resultsDir, serverCpu, v8PoolSize } from './bench-config';

export interface ServerSpec {
  name: string;
  port: number;
  /** Node arguments, run from the repository root. */
  args: string[];
  env?: Record<string, string>;
  /** Path that returns 2xx once the server is ready. Without it, any HTTP response counts. */
  readyPath?: string;
}

const startTimeoutMs = 60_000;
const stopTimeoutMs = 15_000;

function probe(port: number, readyPath: string): Promise<number> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: readyPath, timeout: 1000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });

    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** A server under test, pinned with taskset to the server core, logging to bench/results/logs. */
export class ServerProcess {
  private child?: ChildProcess;

  constructor(
    private readonly spec: ServerSpec,
    private readonly logName: string,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get logFile(): string {
    return path.join(logsDir, `${this.logName}.log`);
  }

  async start(): Promise<void> {
    const log = openSync(this.logFile, 'w');

    // BENCH_CPU_PROF=1 writes a V8 CPU profile of each server to bench/results/profiles on exit.
    const profile =
      process.env.BENCH_CPU_PROF === '1'
        ? ['--cpu-prof', `--cpu-prof-dir=${path.join(resultsDir, 'profiles')}`]
        : [];

    const pool = v8PoolSize === 'node' ? [] : [`--v8-pool-size=${v8PoolSize}`];

    this.child = spawn(
      'taskset',
      ['-c', serverCpu, process.execPath, ...pool, ...profile, ...this.spec.args],
      {
        cwd: repoDir,
        env: { ...process.env, ...this.spec.env, PORT: String(this.spec.port) },
        stdio: ['ignore', log, log],
      },
    );

    const deadline = Date.now() + startTimeoutMs;

    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(
          `${this.spec.name} exited with code ${this.child.exitCode}; see ${this.logName}.log`,
        );
      }

      const status = await probe(this.spec.port, this.spec.readyPath ?? '/');

      if (status > 0 && (!this.spec.readyPath || (status >= 200 && status < 300))) {
        return;
      }

      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    await this.stop();
    throw new Error(`${this.spec.name} did not become ready on port ${this.spec.port} within 60 s`);
  }

  async stop(): Promise<void> {
    const child = this.child;

    if (!child || child.exitCode !== null) {
      return;
    }

    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);

    child.kill('SIGTERM');
    await exited;
    clearTimeout(timer);
  }
}
