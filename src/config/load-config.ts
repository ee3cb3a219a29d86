import type { AppConfig } from './app-config';
import { Environment } from './environment';
import {
  alertsConfig,
  blooioConfig,
  integrationConfigErrors,
  llmConfig,
  repliesConfig,
} from './integration-config';
import { ConfigError, validateVariables } from './validate-variables';

import packageJson from '../../package.json';

export { ConfigError };

/** Builds the typed configuration from environment variables; throws ConfigError naming each bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): AppConfig {
  const environment = validateVariables(Environment, source);

  if (environment.DATABASE_URL && !environment.APP_ENCRYPTION_KEY) {
    throw new ConfigError(
      'Invalid configuration:\n  APP_ENCRYPTION_KEY: required when DATABASE_URL is set (openssl rand -base64 32)',
    );
  }

  if (environment.SHUTDOWN_DRAIN_DELAY_MS >= environment.SHUTDOWN_TIMEOUT_MS) {
    throw new ConfigError(
      `Invalid configuration:\n  SHUTDOWN_DRAIN_DELAY_MS: must be less than SHUTDOWN_TIMEOUT_MS (${environment.SHUTDOWN_TIMEOUT_MS}), or in-flight requests get no time to finish`,
    );
  }

  if ((environment.INGEST_CONCURRENCY ?? 0) > environment.DATABASE_POOL_SIZE) {
    throw new ConfigError(
      `Invalid configuration:\n  INGEST_CONCURRENCY: must not exceed DATABASE_POOL_SIZE (${environment.DATABASE_POOL_SIZE}), because batches beyond the pool's connections only wait for one; keep it below the pool size so the tenant API and the jobs keep connections`,
    );
  }

  const integrationErrors = integrationConfigErrors(environment);

  if (integrationErrors.length > 0) {
    throw new ConfigError(`Invalid configuration:\n${integrationErrors.join('\n')}`);
  }

  return {
    env: environment.NODE_ENV,
    port: environment.PORT,
    host: environment.HOST,
    version: packageJson.version,
    commit: environment.GIT_COMMIT,
    database: {
      url: environment.DATABASE_URL,
      poolSize: environment.DATABASE_POOL_SIZE,
      queryTimeoutMs: environment.DATABASE_QUERY_TIMEOUT_MS,
      setRole: environment.DATABASE_SET_ROLE,
      embeddedDataDir: environment.EMBEDDED_DATA_DIR,
      ingestBatchSize: environment.INGEST_BATCH_SIZE,
      ingestConcurrency:
        environment.INGEST_CONCURRENCY ??
        Math.max(1, Math.floor(environment.DATABASE_POOL_SIZE / 2)),
      ingestQueueLimit: environment.INGEST_QUEUE_LIMIT,
    },
    redisUrl: environment.REDIS_URL,
    encryptionKey: environment.APP_ENCRYPTION_KEY
      ? Buffer.from(environment.APP_ENCRYPTION_KEY, 'base64')
      : undefined,
    logging: {
      level: environment.LOG_LEVEL,
      pretty: environment.LOG_PRETTY,
      file: environment.LOG_FILE
        ? {
            path: environment.LOG_FILE,
            size: environment.LOG_FILE_SIZE,
            frequency: environment.LOG_FILE_FREQUENCY as 'daily' | 'hourly',
            keep: environment.LOG_FILE_KEEP,
          }
        : undefined,
      bufferBytes: environment.LOG_BUFFER_BYTES,
      rejectionSampleMs: environment.LOG_REJECTION_SAMPLE_MS,
    },
    trustedProxyHops: environment.TRUSTED_PROXY_HOPS,
    shutdown: {
      timeoutMs: environment.SHUTDOWN_TIMEOUT_MS,
      drainDelayMs: environment.SHUTDOWN_DRAIN_DELAY_MS,
    },
    healthCheckTimeoutMs: environment.HEALTH_CHECK_TIMEOUT_MS,
    replies: repliesConfig(environment),
    llm: llmConfig(environment),
    blooio: blooioConfig(environment),
    alerts: alertsConfig(environment),
    rateLimit: {
      ipBurst: {
        limit: environment.RATE_LIMIT_IP_BURST_LIMIT,
        windowSeconds: environment.RATE_LIMIT_IP_BURST_WINDOW_SECONDS,
      },
      ipSustained: {
        limit: environment.RATE_LIMIT_IP_SUSTAINED_LIMIT,
        windowSeconds: environment.RATE_LIMIT_IP_SUSTAINED_WINDOW_SECONDS,
      },
      tenant: {
        limit: environment.RATE_LIMIT_TENANT_LIMIT,
        windowSeconds: environment.RATE_LIMIT_TENANT_WINDOW_SECONDS,
      },
      redisTimeoutMs: environment.RATE_LIMIT_REDIS_TIMEOUT_MS,
      keyPrefix: environment.RATE_LIMIT_KEY_PREFIX,
    },
    webhookSecretRotationWindowMinutes: environment.WEBHOOK_SECRET_ROTATION_WINDOW_MINUTES,
    webhooks: {
      toleranceSeconds: environment.WEBHOOK_TOLERANCE_SECONDS,
      tenantCacheTtlMs: environment.WEBHOOK_TENANT_CACHE_TTL_SECONDS * 1000,
      secretRefreshIntervalMs: environment.WEBHOOK_SECRET_REFRESH_SECONDS * 1000,
    },
    retention: {
      enabled: environment.RETENTION_PRUNE_ENABLED,
      webhookEventsDays: environment.WEBHOOK_EVENTS_RETENTION_DAYS,
      auditLogDays: environment.AUDIT_LOG_RETENTION_DAYS,
      batchSize: environment.RETENTION_PRUNE_BATCH_SIZE,
    },
  };
}
