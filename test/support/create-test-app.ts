import { randomUUID } from 'node:crypto';

import type { ModuleMetadata } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { TestingModuleBuilder } from '@nestjs/testing';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DestinationStream } from 'pino';

import { AppModule } from '../../src/app.module';
import type { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { configureApp, createHttpAdapter } from '../../src/configure-app';
import { appDatabaseUrl, testRedisUrl } from './test-database';

/** A fixed key for tests only. Fixtures encrypt secrets and hash API keys with it. */
export const testEncryptionKey = Buffer.alloc(32, 7);

/**
 * Rate limits high enough that tests sending many requests from 127.0.0.1 are not throttled, and a
 * Redis key prefix of its own per app, so counts never carry over between tests or runs. Tests of
 * rate limiting set their own limits through `env`.
 */
function testRateLimitEnv(): Record<string, string> {
  return {
    RATE_LIMIT_IP_BURST_LIMIT: '1000000',
    RATE_LIMIT_IP_SUSTAINED_LIMIT: '1000000',
    RATE_LIMIT_TENANT_LIMIT: '1000000',
    RATE_LIMIT_KEY_PREFIX: `test:${randomUUID()}:`,
  };
}

export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: appDatabaseUrl,
    REDIS_URL: testRedisUrl,
    APP_ENCRYPTION_KEY: testEncryptionKey.toString('base64'),
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    // The prune schedule's runner would add connections to every test app; the retention tests
    // turn it on.
    RETENTION_PRUNE_ENABLED: 'false',
    ...testRateLimitEnv(),
    ...env,
  });
}

export interface TestAppOptions {
  env?: Record<string, string | undefined>;
  config?: AppConfig;
  /** Extra modules for the test only, such as a controller that throws on purpose. */
  imports?: ModuleMetadata['imports'];
  /** Receives every log line instead of stdout. */
  logDestination?: DestinationStream;
  override?: (builder: TestingModuleBuilder) => TestingModuleBuilder;
}

/** Boots the real AppModule with the same adapter and setup as main.ts; the caller closes it. */
export async function createTestApp(options: TestAppOptions = {}): Promise<NestFastifyApplication> {
  const config = options.config ?? testConfig(options.env);
  let builder = Test.createTestingModule({
    imports: [
      AppModule.forRoot(config, { logDestination: options.logDestination }),
      ...(options.imports ?? []),
    ],
  });

  if (options.override) {
    builder = options.override(builder);
  }

  const moduleRef = await builder.compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(createHttpAdapter(config), {
    bodyParser: false,
  });

  configureApp(app);
  await app.init();
  await app.getHttpAdapter().getInstance().ready();

  return app;
}
