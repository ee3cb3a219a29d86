import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import {
  sendsFor,
  startReplyHarness,
  storeInbound,
  uniqueContactNumber,
  waitForReply,
} from './support/replies';
import type { ReplyHarness } from './support/replies';
import { TcpProxy, throughProxy } from './support/tcp-proxy';
import { appDatabaseUrl } from './support/test-database';

async function waitUntil(condition: () => boolean, what: string, timeoutMs = 10000): Promise<void> {
  const deadline = Date.now() + timeoutMs;

  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out waiting for ${what}`);
    }

    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('Reply worker after a database outage', () => {
  const postgresProxy = new TcpProxy(Number(new URL(appDatabaseUrl).port || 5432));
  let harness: ReplyHarness;
  let tenant: SeededTenant;

  beforeAll(async () => {
    const port = await postgresProxy.start();

    // One worker: once it dies, nothing else would run reply jobs.
    harness = await startReplyHarness({
      DATABASE_URL: throughProxy(appDatabaseUrl, port),
      DATABASE_QUERY_TIMEOUT_MS: '1000',
      REPLY_WORKER_CONCURRENCY: '1',
      REPLY_WORKER_STALE_AFTER_MS: '2000',
    });
    tenant = await seedTenant();
  });

  afterAll(async () => {
    await harness.close();
    await postgresProxy.cut();
  });

  it('replies again after a worker dies', async () => {
    harness.blooio.willRespond({ kind: 'hold' });
    const first = await storeInbound(harness.app, {
      tenant,
      from: uniqueContactNumber(),
      text: 'Hi, can I book a cleaning?',
    });

    await waitUntil(() => harness.blooio.requests.length === 1, 'the first send');

    // The job finishes its send while the database is unreachable, so the worker cannot record
    // the outcome or release the job, and graphile-worker ends that worker.
    await postgresProxy.cut();
    harness.blooio.release();
    await waitUntil(
      () =>
        harness.telegram.messages.some((message) =>
          /reply worker (died|stopped)/i.test(message.text),
        ),
      'the worker-died alert',
    );
    await postgresProxy.restore();

    const second = await storeInbound(harness.app, {
      tenant,
      from: uniqueContactNumber(),
      text: 'Do you have a slot on Tuesday?',
    });
    const state = await waitForReply(second, 30000);

    expect(state.reply_state).toBe('replied');
    expect(await sendsFor(second)).toHaveLength(1);
    expect(harness.blooio.billed.size).toBe(2);
    expect((await waitForReply(first, 30000)).reply_state).toBe('replied');
  });
});
