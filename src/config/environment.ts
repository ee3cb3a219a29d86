import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Length,
  Matches,
  Max,
  Min,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (value === 'true' || value === '1') {
    return true;
  }

  if (value === 'false' || value === '0') {
    return false;
  }

  return value;
};

const postgresUrl = /^postgres(ql)?:\/\/.+/;
const redisUrl = /^rediss?:\/\/.+/;

/**
 * The environment variables the service reads, validated once at boot.
 * Every other module reads the typed AppConfig built from this, never process.env.
 */
export class Environment {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsOptional()
  @Matches(postgresUrl, { message: 'DATABASE_URL must be a postgresql:// connection string' })
  DATABASE_URL?: string;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(200)
  DATABASE_POOL_SIZE = 10;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  @Max(600000)
  DATABASE_QUERY_TIMEOUT_MS = 10000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(64)
  INGEST_BATCH_SIZE = 32;

  // Unset means half the pool, so the tenant API and the jobs keep connections under a flood.
  @IsOptional()
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(200)
  INGEST_CONCURRENCY?: number;

  // Bounds the backlog (and the memory its bodies hold) when the database falls behind.
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(100000)
  INGEST_QUEUE_LIMIT = 1000;

  // Role switched to with SET LOCAL ROLE in each transaction. Needed only when the login role
  // cannot be the application role itself, as with the embedded database.
  @IsOptional()
  @Matches(/^[a-z_][a-z0-9_]{0,62}$/)
  DATABASE_SET_ROLE?: string;

  @IsString()
  EMBEDDED_DATA_DIR = '.data';

  @IsOptional()
  @Matches(redisUrl, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'APP_ENCRYPTION_KEY must be 32 random bytes in base64 (openssl rand -base64 32)',
  })
  APP_ENCRYPTION_KEY?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @Transform(toBoolean)
  @IsBoolean()
  LOG_PRETTY = false;

  @IsOptional()
  @IsString()
  LOG_FILE?: string;

  @Matches(/^\d+[kmg]?$/i, { message: 'LOG_FILE_SIZE must look like 10m, 500k or 1g' })
  LOG_FILE_SIZE = '10m';

  @IsIn(['daily', 'hourly'])
  LOG_FILE_FREQUENCY = 'daily';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  LOG_FILE_KEEP = 14;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(1048576)
  LOG_BUFFER_BYTES = 4096;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(3600000)
  LOG_REJECTION_SAMPLE_MS = 100;

  @IsString()
  GIT_COMMIT = 'unknown';

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(10)
  TRUSTED_PROXY_HOPS = 0;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1000)
  @Max(120000)
  SHUTDOWN_TIMEOUT_MS = 25000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(60000)
  SHUTDOWN_DRAIN_DELAY_MS = 0;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  @Max(10000)
  HEALTH_CHECK_TIMEOUT_MS = 1000;

  // Rate limits: requests per window. The per-IP pair applies to every route before
  // authentication; the per-tenant limit applies after it on routes that opt in.
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  RATE_LIMIT_IP_BURST_LIMIT = 100;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(86400)
  RATE_LIMIT_IP_BURST_WINDOW_SECONDS = 10;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  RATE_LIMIT_IP_SUSTAINED_LIMIT = 2000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(86400)
  RATE_LIMIT_IP_SUSTAINED_WINDOW_SECONDS = 600;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  RATE_LIMIT_TENANT_LIMIT = 300;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(86400)
  RATE_LIMIT_TENANT_WINDOW_SECONDS = 60;

  // Maximum wait for Redis per rate-limit check before the route's outage policy applies. Capped
  // at the Redis client's 500 ms commandTimeout, which would otherwise end the wait first.
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  @Max(500)
  RATE_LIMIT_REDIS_TIMEOUT_MS = 150;

  @Matches(/^[A-Za-z0-9:_.-]{1,64}$/, {
    message: 'RATE_LIMIT_KEY_PREFIX must be 1-64 characters of letters, digits and : _ . -',
  })
  RATE_LIMIT_KEY_PREFIX = 'aias:rate-limit:';

  // How long a rotated-out Blooio signing secret is still accepted; the CLI's
  // --keep-previous-minutes overrides it per rotation.
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(10080)
  WEBHOOK_SECRET_ROTATION_WINDOW_MINUTES = 60;
  // Maximum distance in seconds, either way, between a Blooio signature's timestamp and our clock.
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(3600)
  WEBHOOK_TOLERANCE_SECONDS = 300;

  // How long a receiving number's tenant and decrypted signing secrets (or their absence) stay cached.
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(3600)
  WEBHOOK_TENANT_CACHE_TTL_SECONDS = 30;

  // Minimum seconds between reloads of one number's secrets after a signature mismatch.
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(300)
  WEBHOOK_SECRET_REFRESH_SECONDS = 5;

  // Retention prune. The minimum retention periods are also enforced in the database, by the
  // retention.prune_* functions and the aias_retention policies, whatever the caller passes.
  @Transform(toBoolean)
  @IsBoolean()
  RETENTION_PRUNE_ENABLED = true;

  // An inbox row must outlive WEBHOOK_TOLERANCE_SECONDS (at most 3600), because a captured delivery
  // could otherwise be replayed once its row is gone. The minimum of one day leaves a wide margin.
  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(3650)
  WEBHOOK_EVENTS_RETENTION_DAYS = 30;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(30)
  @Max(36500)
  AUDIT_LOG_RETENTION_DAYS = 365;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(10000)
  RETENTION_PRUNE_BATCH_SIZE = 1000;

  @Transform(toBoolean)
  @IsBoolean()
  REPLY_WORKER_ENABLED = true;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(50)
  REPLY_WORKER_CONCURRENCY = 2;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  @Max(60000)
  REPLY_WORKER_POLL_INTERVAL_MS = 2000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1000)
  @Max(3600000)
  REPLY_WORKER_STALE_AFTER_MS = 60000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(25)
  REPLY_JOB_MAX_ATTEMPTS = 8;

  // The global kill switch: when true, no reply is sent for any tenant.
  @Transform(toBoolean)
  @IsBoolean()
  REPLIES_PAUSED = false;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(20)
  @Max(1600)
  REPLY_MAX_LENGTH = 480;

  @IsString()
  @Length(1, 480)
  REPLY_FALLBACK_TEXT =
    'Thanks for your message! Someone from our team will get back to you shortly.';

  @IsIn(['template', 'openai'])
  REPLY_RESPONDER: 'template' | 'openai' = 'template';

  @IsOptional()
  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  LLM_BASE_URL?: string;

  @IsOptional()
  @IsString()
  LLM_API_KEY?: string;

  @IsOptional()
  @IsString()
  LLM_MODEL?: string;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(500)
  @Max(120000)
  LLM_TIMEOUT_MS = 15000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(5)
  LLM_MAX_RETRIES = 2;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(50)
  LLM_HISTORY_MESSAGES = 12;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(16)
  @Max(4096)
  LLM_MAX_TOKENS = 200;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  BLOOIO_BASE_URL = 'https://backend.blooio.com/v2/api';

  @IsOptional()
  @IsString()
  BLOOIO_API_KEY?: string;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  @Max(120000)
  BLOOIO_TIMEOUT_MS = 10000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1)
  @Max(10)
  BLOOIO_MAX_ATTEMPTS = 4;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(10)
  @Max(60000)
  BLOOIO_RETRY_BASE_DELAY_MS = 500;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(100)
  @Max(300000)
  BLOOIO_MAX_RETRY_DELAY_MS = 30000;

  @IsUrl({ require_tld: false, protocols: ['http', 'https'] })
  TELEGRAM_API_BASE_URL = 'https://api.telegram.org';

  @IsOptional()
  @Matches(/^\d+:[A-Za-z0-9_-]+$/, {
    message: 'TELEGRAM_BOT_TOKEN must look like 123456:ABC-token',
  })
  TELEGRAM_BOT_TOKEN?: string;

  @IsOptional()
  @Matches(/^(-?\d+|@[A-Za-z0-9_]{5,})$/, {
    message: 'TELEGRAM_CHAT_ID must be a numeric chat id or an @channel name',
  })
  TELEGRAM_CHAT_ID?: string;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(1000)
  @Max(86400000)
  ALERT_COOLDOWN_MS = 60000;

  @Transform(({ value }) => Number(value))
  @IsInt()
  @Min(0)
  @Max(60000)
  ALERT_MIN_INTERVAL_MS = 1000;
}
