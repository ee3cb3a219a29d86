import 'reflect-metadata';

import { createTestApp } from './create-test-app';

/**
 * Boots the app with its reply worker in a child process, so a test can SIGKILL it mid-job.
 * WORKER_ENV contains the app's environment as JSON; "ready" on stdout means the worker runs.
 */
async function main(): Promise<void> {
  const env = JSON.parse(process.env.WORKER_ENV ?? '{}') as Record<string, string>;
  const app = await createTestApp({ env });

  process.once('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
  process.stdout.write('ready\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`Worker process failed: ${String(error)}\n`);
  process.exit(1);
});
