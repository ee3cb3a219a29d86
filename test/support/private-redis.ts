import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';

import Redis from 'ioredis';

async function isListening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });

    socket.once('connect', () => {
      socket.end();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

export async function waitFor(
  check: () => Promise<boolean>,
  description: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  while (Date.now() < deadline) {
    if (await check()) {
      return;
    }

    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  throw new Error(`Timed out after ${timeoutMs} ms waiting for ${description}`);
}

/**
 * A redis-server of the test's own on 127.0.0.1, without persistence, which the test may stop,
 * pause and start again to simulate an outage. The shared Redis on port 6379 is never touched.
 */
export class PrivateRedis {
  private process?: ChildProcess;

  constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    if (await isListening(this.port)) {
      throw new Error(
        `Port ${this.port} is already in use; stop the leftover redis-server before running this test`,
      );
    }

    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );

    this.process = child;
    await waitFor(() => isListening(this.port), `redis-server on port ${this.port}`);
  }

  /** Kills the server so new connections are refused and open ones are reset. */
  async stop(): Promise<void> {
    const child = this.process;

    if (!child || child.exitCode !== null || child.signalCode !== null) {
      return;
    }

    const exited = new Promise((resolve) => child.once('exit', resolve));

    child.kill('SIGKILL');
    await exited;
    this.process = undefined;
  }

  /** Freezes the server: connections stay open and commands get no reply until resume(). */
  pause(): void {
    this.process?.kill('SIGSTOP');
  }

  resume(): void {
    this.process?.kill('SIGCONT');
  }

  /** Returns the keys matching a pattern, through a short-lived connection of the test's own. */
  async keys(pattern: string): Promise<string[]> {
    const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0 });

    try {
      await client.connect();

      return await client.keys(pattern);
    } finally {
      client.disconnect();
    }
  }
}
