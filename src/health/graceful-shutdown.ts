import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';

import type { AppConfig } from '../config/app-config';
import type { EmbeddedDatabase } from '../database/embedded/embedded-database';
import { ShutdownState } from './shutdown-state';

const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * On SIGTERM: readiness turns 503 at once, then after SHUTDOWN_DRAIN_DELAY_MS (time for the proxy to
 * notice) the server stops accepting, in-flight requests and jobs finish, and connections close.
 * If that takes longer than SHUTDOWN_TIMEOUT_MS the process exits with status 1.
 */
export function installGracefulShutdown(
  app: NestFastifyApplication,
  config: AppConfig,
  embedded?: EmbeddedDatabase,
): void {
  const logger = app.get(Logger);
  let isShuttingDown = false;

  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (isShuttingDown) {
      return;
    }

    isShuttingDown = true;
    app.get(ShutdownState).startDraining();
    logger.log(
      { signal, drainDelayMs: config.shutdown.drainDelayMs },
      'Shutdown started: readiness is now 503',
    );

    const deadline = setTimeout(() => {
      logger.error(
        { timeoutMs: config.shutdown.timeoutMs },
        'Shutdown timed out; exiting with work still running',
      );
      process.exit(1);
    }, config.shutdown.timeoutMs);

    deadline.unref();

    await new Promise((resolve) => setTimeout(resolve, config.shutdown.drainDelayMs));
    await app.close();
    await embedded?.stop();
    logger.log('Shutdown complete');
    clearTimeout(deadline);
    process.exit(0);
  };

  for (const signal of signals) {
    process.once(signal, (received) => void shutdown(received));
  }
}
