import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { NestExpressApplication } from '@nestjs/platform-express';
import express from 'express';
import { Logger } from 'nestjs-pino';

import { AppModule } from '../../src/app.module';
import { loadConfig } from '../../src/config/load-config';
import { MAX_BODY_BYTES } from '../../src/configure-app';

/**
 * Benchmark only: the service's AppModule on @nestjs/platform-express instead of Fastify, to compare
 * the two platforms on the same routes, guards and filters. JSON bodies arrive as raw Buffers, as
 * the webhook route expects. The Fastify-only parts of configureApp (the content-type parser that
 * rejects other media types, the x-request-id hook) are left out.
 */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config),
    new ExpressAdapter(express()),
    {
      bufferLogs: true,
      bodyParser: false,
    },
  );

  app.useLogger(app.get(Logger));
  app.use(express.raw({ type: 'application/json', limit: MAX_BODY_BYTES }));
  app.enableShutdownHooks();
  await app.listen(config.port, config.host);
}

void bootstrap();
