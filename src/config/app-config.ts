export type NodeEnv = 'development' | 'production' | 'test';

export interface DatabaseConfig {
  /** Connection string of the application role; undefined means "start the embedded database". */
  url?: string;
  poolSize: number;
  setRole?: string;
  embeddedDataDir: string;
}

export interface LoggingConfig {
  level: string;
  pretty: boolean;
  file?: { path: string; size: string; frequency: 'daily' | 'hourly'; keep: number };
}

/** One rate limit: at most `limit` requests per `windowSeconds`. */
export interface RateLimitWindow {
  limit: number;
  windowSeconds: number;
}

export interface RateLimitConfig {
  ipBurst: RateLimitWindow;
  ipSustained: RateLimitWindow;
  tenant: RateLimitWindow;
  /** Maximum wait for Redis per check, in ms, before the route's outage policy applies. */
  redisTimeoutMs: number;
  /** Prefix of every Redis key, so several deployments can share one Redis. */
  keyPrefix: string;
}

export interface WebhookConfig {
  /** Accepted distance between a signature's timestamp and our clock, in seconds, either way. */
  toleranceSeconds: number;
  tenantCacheTtlMs: number;
  /** Minimum time between reloads of one number's secrets after a signature mismatch. */
  secretRefreshIntervalMs: number;
}

export interface AppConfig {
  env: NodeEnv;
  port: number;
  host: string;
  version: string;
  commit: string;
  database: DatabaseConfig;
  redisUrl?: string;
  /** 32-byte key for secrets at rest and API-key hashing; required once a real database is used. */
  encryptionKey?: Buffer;
  logging: LoggingConfig;
  trustedProxyHops: number;
  shutdown: { timeoutMs: number; drainDelayMs: number };
  healthCheckTimeoutMs: number;
  rateLimit: RateLimitConfig;
  /** Minutes a rotated-out webhook signing secret stays valid. */
  webhookSecretRotationWindowMinutes: number;
  webhooks: WebhookConfig;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
