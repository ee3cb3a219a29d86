import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { get } from 'node:http';
import { join } from 'node:path';

import { testEncryptionKey } from './create-test-app';

const projectRoot = join(__dirname, '..', '..');

/** Compiles src/ into dist/ with the Nest CLI, as `npm run build` does after it generates the client. */
export function buildService(): void {
  execFileSync(
    process.execPath,
    [join(projectRoot, 'node_modules/@nestjs/cli/bin/nest.js'), 'build'],
    {
      cwd: projectRoot,
      stdio: 'pipe',
    },
  );
}

/** Finds a free port in 35050-35099, a range kept for this suite so parallel checkouts do not meet. */
export async function freePort(): Promise<number> {
  for (let port = 35050; port < 35100; port += 1) {
    const isFree = await new Promise<boolean>((resolve) => {
      const server = createServer();

      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });

    if (isFree) {
      return port;
    }
  }

  throw new Error('No free port in 35050-35099');
}

export interface ServiceExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  at: number;
}

/** The built service running as a child process, with its JSON log lines. */
export class BuiltService {
  readonly logs: Record<string, unknown>[] = [];
  readonly exited: Promise<ServiceExit>;
  private readonly child: ChildProcess;

  private constructor(
    readonly port: number,
    env: Record<string, string>,
  ) {
    this.child = spawn(process.execPath, [join(projectRoot, 'dist/main.js')], {
      cwd: projectRoot,
      env: { PATH: process.env.PATH ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.exited = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
    );
    this.collectLogs();
  }

  /** Starts dist/main.js on 127.0.0.1 and waits until /health/live returns 200. */
  static async start(env: Record<string, string>): Promise<BuiltService> {
    const service = new BuiltService(await freePort(), {
      NODE_ENV: 'production',
      APP_ENCRYPTION_KEY: testEncryptionKey.toString('base64'),
      LOG_LEVEL: 'info',
      // Keys of their own, so another service counting in the same Redis database cannot block
      // this one's clients.
      RATE_LIMIT_KEY_PREFIX: `test:${randomUUID()}:`,
      ...env,
    });

    await service.waitUntilLive(30_000);

    return service;
  }

  signal(signal: NodeJS.Signals): number {
    this.child.kill(signal);

    return Date.now();
  }

  /** Kills the process if a test left it running. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  messages(): string[] {
    return this.logs.map((line) => String(line.msg));
  }

  /** Returns the time of the first log line with this message, or undefined. */
  loggedAt(message: string): number | undefined {
    const line = this.logs.find((entry) => entry.msg === message);

    return typeof line?.time === 'number' ? line.time : undefined;
  }

  private collectLogs(): void {
    let pending = '';

    this.child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;

      const lines = pending.split('\n');

      pending = lines.pop() ?? '';

      for (const line of lines.filter((text) => text.startsWith('{'))) {
        this.logs.push(JSON.parse(line) as Record<string, unknown>);
      }
    });
    this.child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
      this.logs.push({ msg: 'stderr', text: chunk });
    });
  }

  private async waitUntilLive(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;

    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`The service exited during start-up:\n${JSON.stringify(this.logs)}`);
      }

      const status = await new Promise<number>((resolve) => {
        get({ host: '127.0.0.1', port: this.port, path: '/health/live' }, (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        }).on('error', () => resolve(0));
      });

      if (status === 200) {
        return;
      }

      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    throw new Error(`The service did not answer /health/live within ${timeoutMs} ms`);
  }
}
