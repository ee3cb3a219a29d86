import { appliedV8Flags } from './runtime/apply-v8-flags';
import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import { PinoLogger } from 'nestjs-pino';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { AppModule } from './app.module';
import { configureApp, createHttpAdapter } from './configure-app';
import { ConfigError, loadConfig } from './config/load-config';
import { startEmbeddedDatabase } from './database/embedded/embedded-database';
import { installGracefulShutdown } from './health/graceful-shutdown';

async function logV8Flags(app: NestFastifyApplication): Promise<void> {
  const logger = await app.resolve(PinoLogger);

  logger.setContext('Runtime');
  logger.info({ v8Flags: appliedV8Flags }, 'Set V8 flags at start-up');
}

async function bootstrap(): Promise<void> {
  let config = loadConfig();
  const embedded = config.database.url ? undefined : await startEmbeddedDatabase(config);

  if (embedded) {
    config = embedded.config;
  }

  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createHttpAdapter(config),
    { bufferLogs: true, bodyParser: false },
  );

  configureApp(app);
  await logV8Flags(app);
  await installGracefulShutdown(app, config, embedded);
  await app.listen(config.port, config.host);
}

bootstrap().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
  } else {
    process.stderr.write(
      `Failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }

  process.exit(1);
});
