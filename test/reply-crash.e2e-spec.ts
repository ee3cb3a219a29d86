import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createTestApp } from './support/create-test-app';
import { FakeBlooio } from './support/fakes/fake-blooio';
import { seedTenant } from './support/fixtures';
import {
  clearJobQueue,
  replyEnv,
  sendsFor,
  storeInbound,
  waitForReply,
  uniqueContactNumber,
} from './support/replies';

const staleAfterMs = 2000;

/** Starts the app with its reply worker in a child process and waits until it reports ready. */
async function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', 'test/support/reply-worker-process.ts'],
    {
      env: { ...process.env, WORKER_ENV: JSON.stringify(env) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stderr = '';

  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Worker did not start: ${stderr}`)), 30000);

    child.stdout?.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => reject(new Error(`Worker exited with ${code}: ${stderr}`)));
  });

  return child;
}

async function stopWorker(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return;
  }

  const exited = once(child, 'exit');

  child.kill(signal);
  await exited;
}

// Each case waits for a background job through real PostgreSQL, well past Jest's 5 s default.
jest.setTimeout(30000);

describe('Reply worker crash', () => {
  let app: NestFastifyApplication;
  let blooio: FakeBlooio;
  const workers: ChildProcess[] = [];

  beforeAll(async () => {
    await clearJobQueue();
    blooio = await new FakeBlooio().start();
    // This process only enqueues; the child processes run the jobs.
    app = await createTestApp({ env: { REPLY_WORKER_ENABLED: 'false' } });
  });

  afterAll(async () => {
    for (const worker of workers) {
      await stopWorker(worker, 'SIGKILL');
    }

    await app.close();
    await blooio.stop();
  });

  it('sends exactly once after SIGKILL mid-send', async () => {
    const env = replyEnv(blooio, undefined, { REPLY_WORKER_STALE_AFTER_MS: String(staleAfterMs) });
    const tenant = await seedTenant();
    const contact = uniqueContactNumber();

    blooio.willRespond({ kind: 'hold' });
    workers.push(await startWorker(env));

    const messageId = await storeInbound(app, {
      tenant,
      from: contact,
      text: 'Hello',
    });

    await blooio.waitForRequests(1);
    await stopWorker(workers[0], 'SIGKILL');

    // The send was recorded before the request, so the next run resumes it with the same key.
    expect(await sendsFor(messageId)).toEqual([expect.objectContaining({ status: 'pending' })]);

    workers.push(await startWorker(env));

    await expect(waitForReply(messageId, 60000)).resolves.toMatchObject({ reply_state: 'replied' });

    const keys = blooio.requests.filter((r) => r.chatId === contact).map((r) => r.idempotencyKey);
    const sends = await sendsFor(messageId);

    expect(keys).toEqual([`reply-${messageId}`, `reply-${messageId}`]);
    expect([...blooio.billed.values()].filter((m) => m.chatId === contact)).toHaveLength(1);
    expect(sends).toEqual([expect.objectContaining({ status: 'accepted' })]);
    await stopWorker(workers[1], 'SIGTERM');
    expect(workers[1].exitCode).toBe(0);
  }, 90000);
});

describe('Reply worker shutdown', () => {
  it('finishes a running job before closing', async () => {
    await clearJobQueue();

    const blooio = await new FakeBlooio().start();
    const app = await createTestApp({
      env: replyEnv(blooio, undefined, { BLOOIO_TIMEOUT_MS: '5000' }),
    });
    const tenant = await seedTenant();

    try {
      blooio.willRespond({ kind: 'accept_slowly', delayMs: 1000 });

      const messageId = await storeInbound(app, {
        tenant,
        from: uniqueContactNumber(),
        text: 'Hello',
      });

      await blooio.waitForRequests(1);
      await app.close();

      expect(await sendsFor(messageId)).toEqual([expect.objectContaining({ status: 'accepted' })]);
      expect(blooio.requests).toHaveLength(1);
    } finally {
      await blooio.stop();
    }
  }, 30000);
});
