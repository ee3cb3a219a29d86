export type NodeEnv = 'development' | 'production' | 'test';

export interface DatabaseConfig {
  /** Connection string of the application role; undefined means "start the embedded database". */
  url?: string;
  poolSize: number;
  /** Client- and server-side bound on one statement, in ms. */
  queryTimeoutMs: number;
  setRole?: string;
  embeddedDataDir: string;
  /** Received messages stored per call of store_inbound_messages; 1 stores each alone. */
  ingestBatchSize: number;
  /** Calls storing received messages at once, each on its own pooled connection. */
  ingestConcurrency: number;
  /** Received messages that may wait for a batch. More are rejected with a 503. */
  ingestQueueLimit: number;
}

export interface LoggingConfig {
  level: string;
  pretty: boolean;
  file?: { path: string; size: string; frequency: 'daily' | 'hourly'; keep: number };
  /** Bytes of stdout log lines collected before one write. Zero writes every line at once. */
  bufferBytes: number;
  /** Shortest gap between two logged 401 (or 429) responses; 0 logs every one. */
  rejectionSampleMs: number;
}

export interface ReplyWorkerConfig {
  /** False, or no Blooio API key, means this process only enqueues jobs and never runs them. */
  enabled: boolean;
  concurrency: number;
  pollIntervalMs: number;
  /** A worker whose heartbeat is older than this is taken as dead and its jobs are released. */
  staleAfterMs: number;
  maxAttempts: number;
}

export interface RepliesConfig {
  worker: ReplyWorkerConfig;
  /** The global kill switch. */
  paused: boolean;
  maxLength: number;
  fallbackText: string;
  responder: 'template' | 'openai';
}

export interface LlmConfig {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs: number;
  maxRetries: number;
  historyMessages: number;
  maxTokens: number;
}

export interface BlooioConfig {
  baseUrl: string;
  apiKey?: string;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseDelayMs: number;
  maxRetryDelayMs: number;
}

export interface AlertsConfig {
  /** Undefined when TELEGRAM_BOT_TOKEN or TELEGRAM_CHAT_ID is unset: alerts are then only logged. */
  telegram?: { baseUrl: string; token: string; chatId: string };
  cooldownMs: number;
  minIntervalMs: number;
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

/** The scheduled deletion of expired webhook_events and audit_log rows. */
export interface RetentionConfig {
  /** False means this process does not run the prune schedule; another instance may. */
  enabled: boolean;
  webhookEventsDays: number;
  auditLogDays: number;
  /** Rows deleted per statement, each statement its own short transaction. */
  batchSize: number;
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
  replies: RepliesConfig;
  /** Set only when REPLY_RESPONDER is openai. */
  llm?: LlmConfig;
  blooio: BlooioConfig;
  alerts: AlertsConfig;
  rateLimit: RateLimitConfig;
  /** Minutes a rotated-out webhook signing secret stays valid. */
  webhookSecretRotationWindowMinutes: number;
  webhooks: WebhookConfig;
  retention: RetentionConfig;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
