import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { PinoLogger } from 'nestjs-pino';

import type { AppConfig } from '../config/app-config';
import type { EmbeddedDatabase } from '../database/embedded/embedded-database';
import { ShutdownState } from './shutdown-state';

const signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/**
 * Adds `Connection: close` to every response once draining has started. Without it a keep-alive
 * socket (a proxy's connection pool) stays open after its last in-flight response, and
 * server.close() waits for the keep-alive timeout (Fastify 5 default: 72 s) before it returns.
 */
export function closeConnectionsWhileDraining(app: NestFastifyApplication): void {
  const shutdownState = app.get(ShutdownState);

  app
    .getHttpAdapter()
    .getInstance()
    .addHook('onSend', async (_request, reply, payload) => {
      if (shutdownState.isDraining()) {
        void reply.header('connection', 'close');
      }

      return payload;
    });
}

/** Waits SHUTDOWN_DRAIN_DELAY_MS, drains the HTTP server, then runs the Nest shutdown hooks. */
async function drainAndClose(
  app: NestFastifyApplication,
  config: AppConfig,
  logger: PinoLogger,
  embedded?: EmbeddedDatabase,
): Promise<void> {
  const started = Date.now();

  await new Promise((resolve) => setTimeout(resolve, config.shutdown.drainDelayMs));

  // Closing Fastify before app.close() matters because Nest runs onModuleDestroy hooks before it
  // closes the HTTP server, and a hook that disconnects a client would fail the requests in flight.
  logger.info('Stopped accepting connections; waiting for in-flight requests');
  await app.getHttpAdapter().close();

  logger.info(
    { elapsedMs: Date.now() - started },
    'In-flight requests finished; closing connections',
  );
  await app.close();
  await embedded?.stop();

  logger.info({ elapsedMs: Date.now() - started }, 'Shutdown complete');
}

/**
 * Handles SIGTERM and SIGINT in the order that loses no request. Readiness turns 503 at once. After
 * SHUTDOWN_DRAIN_DELAY_MS, which gives the proxy time to stop routing here, the HTTP server stops
 * accepting and waits for in-flight requests. Only then do the Nest shutdown hooks run: modules stop
 * their background work, and PrismaService and Redis close their connections. The process exits
 * with status 0, or with 1 when this fails or takes longer than SHUTDOWN_TIMEOUT_MS from the signal.
 * A repeated signal is logged and ignored.
 */
export async function installGracefulShutdown(
  app: NestFastifyApplication,
  config: AppConfig,
  embedded?: EmbeddedDatabase,
): Promise<void> {
  const logger = await app.resolve(PinoLogger);
  let isShuttingDown = false;

  logger.setContext('GracefulShutdown');

  const onSignal = (signal: NodeJS.Signals): void => {
    if (isShuttingDown) {
      logger.warn({ signal }, 'Shutdown already in progress; signal ignored');

      return;
    }

    isShuttingDown = true;
    app.get(ShutdownState).startDraining();
    logger.info(
      { signal, drainDelayMs: config.shutdown.drainDelayMs, timeoutMs: config.shutdown.timeoutMs },
      'Shutdown started: readiness is now 503',
    );

    const deadline = setTimeout(() => {
      logger.error(
        { timeoutMs: config.shutdown.timeoutMs },
        'Shutdown timed out; exiting with work still running',
      );
      process.exit(1);
    }, config.shutdown.timeoutMs);

    drainAndClose(app, config, logger, embedded).then(
      () => {
        clearTimeout(deadline);
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'Shutdown failed');
        process.exit(1);
      },
    );
  };

  for (const signal of signals) {
    process.on(signal, onSignal);
  }
}
