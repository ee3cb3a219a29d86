import { ConfigError, loadConfig } from './load-config';

const key = Buffer.alloc(32, 1).toString('base64');

describe('loadConfig', () => {
  it('applies defaults for an empty environment', () => {
    const config = loadConfig({});

    expect(config.port).toBe(3000);
    expect(config.database.url).toBeUndefined();
    expect(config.database.poolSize).toBe(10);
    expect(config.trustedProxyHops).toBe(0);
  });

  it('parses numbers and booleans', () => {
    const config = loadConfig({ PORT: '8080', LOG_PRETTY: 'true', TRUSTED_PROXY_HOPS: '1' });

    expect(config.port).toBe(8080);
    expect(config.logging.pretty).toBe(true);
    expect(config.trustedProxyHops).toBe(1);
  });

  it('names each invalid variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL/);
  });

  it('requires the encryption key with a real database', () => {
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://app@db/aias' })).toThrow(
      /APP_ENCRYPTION_KEY/,
    );
  });

  it('rejects an encryption key of the wrong size', () => {
    expect(() => loadConfig({ APP_ENCRYPTION_KEY: Buffer.alloc(16).toString('base64') })).toThrow(
      /APP_ENCRYPTION_KEY/,
    );
  });

  it('rejects a drain delay that leaves no time to drain', () => {
    expect(() =>
      loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '5000' }),
    ).toThrow(/SHUTDOWN_DRAIN_DELAY_MS: must be less than SHUTDOWN_TIMEOUT_MS \(5000\)/);
  });

  it('accepts a drain delay shorter than the timeout', () => {
    const config = loadConfig({ SHUTDOWN_DRAIN_DELAY_MS: '5000', SHUTDOWN_TIMEOUT_MS: '25000' });

    expect(config.shutdown).toEqual({ drainDelayMs: 5000, timeoutMs: 25000 });
  });

  it('rejects more ingest batches in flight than pool connections', () => {
    expect(() => loadConfig({ DATABASE_POOL_SIZE: '4', INGEST_CONCURRENCY: '5' })).toThrow(
      /INGEST_CONCURRENCY: must not exceed DATABASE_POOL_SIZE \(4\), because/,
    );
    expect(
      loadConfig({ DATABASE_POOL_SIZE: '4', INGEST_CONCURRENCY: '4' }).database.ingestConcurrency,
    ).toBe(4);
  });

  it('reads the secret rotation window', () => {
    expect(loadConfig({}).webhookSecretRotationWindowMinutes).toBe(60);
    expect(
      loadConfig({ WEBHOOK_SECRET_ROTATION_WINDOW_MINUTES: '0' })
        .webhookSecretRotationWindowMinutes,
    ).toBe(0);
    expect(() => loadConfig({ WEBHOOK_SECRET_ROTATION_WINDOW_MINUTES: '20000' })).toThrow(
      /WEBHOOK_SECRET_ROTATION_WINDOW_MINUTES/,
    );
  });

  it('decodes the encryption key', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://app@db/aias',
      APP_ENCRYPTION_KEY: key,
    });

    expect(config.encryptionKey?.equals(Buffer.alloc(32, 1))).toBe(true);
  });

  it('requires the LLM settings for the openai responder', () => {
    expect(() => loadConfig({ REPLY_RESPONDER: 'openai' })).toThrow(/LLM_BASE_URL/);
    expect(() => loadConfig({ REPLY_RESPONDER: 'openai' })).toThrow(/LLM_API_KEY/);
    expect(() => loadConfig({ REPLY_RESPONDER: 'openai' })).toThrow(/LLM_MODEL/);
  });

  it('builds the LLM settings for the openai responder', () => {
    const config = loadConfig({
      REPLY_RESPONDER: 'openai',
      LLM_BASE_URL: 'http://127.0.0.1:9999/v1/',
      LLM_API_KEY: 'key',
      LLM_MODEL: 'model',
    });

    expect(config.llm).toMatchObject({ baseUrl: 'http://127.0.0.1:9999/v1', model: 'model' });
  });

  it('requires both Telegram settings or neither', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '123:abc' })).toThrow(/TELEGRAM_CHAT_ID/);
    expect(loadConfig({}).alerts.telegram).toBeUndefined();
  });

  it('applies the reply defaults', () => {
    const config = loadConfig({});

    expect(config.replies).toMatchObject({ maxLength: 480, paused: false, responder: 'template' });
    expect(config.replies.worker).toMatchObject({ enabled: true, concurrency: 2 });
    expect(config.blooio.apiKey).toBeUndefined();
  });

  it('applies the rate-limit defaults', () => {
    const { rateLimit } = loadConfig({});

    expect(rateLimit.ipBurst).toEqual({ limit: 100, windowSeconds: 10 });
    expect(rateLimit.ipSustained).toEqual({ limit: 2000, windowSeconds: 600 });
    expect(rateLimit.tenant).toEqual({ limit: 300, windowSeconds: 60 });
    expect(rateLimit.redisTimeoutMs).toBe(150);
    expect(rateLimit.keyPrefix).toBe('aias:rate-limit:');
  });

  it('parses the rate-limit variables', () => {
    const { rateLimit } = loadConfig({
      RATE_LIMIT_IP_BURST_LIMIT: '5',
      RATE_LIMIT_IP_BURST_WINDOW_SECONDS: '2',
      RATE_LIMIT_TENANT_LIMIT: '7',
      RATE_LIMIT_REDIS_TIMEOUT_MS: '250',
      RATE_LIMIT_KEY_PREFIX: 'staging:rl:',
    });

    expect(rateLimit.ipBurst).toEqual({ limit: 5, windowSeconds: 2 });
    expect(rateLimit.tenant.limit).toBe(7);
    expect(rateLimit.redisTimeoutMs).toBe(250);
    expect(rateLimit.keyPrefix).toBe('staging:rl:');
  });

  it.each([
    ['RATE_LIMIT_IP_BURST_LIMIT', '0'],
    ['RATE_LIMIT_IP_SUSTAINED_WINDOW_SECONDS', 'ten'],
    ['RATE_LIMIT_TENANT_WINDOW_SECONDS', '0'],
    ['RATE_LIMIT_REDIS_TIMEOUT_MS', '5000'],
    ['RATE_LIMIT_KEY_PREFIX', 'has space'],
  ])('rejects an invalid %s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(name));
  });

  it('reads the webhook settings', () => {
    expect(loadConfig({}).webhooks).toEqual({
      toleranceSeconds: 300,
      tenantCacheTtlMs: 30_000,
      secretRefreshIntervalMs: 5000,
    });
    expect(
      loadConfig({
        WEBHOOK_TOLERANCE_SECONDS: '60',
        WEBHOOK_TENANT_CACHE_TTL_SECONDS: '0',
        WEBHOOK_SECRET_REFRESH_SECONDS: '1',
      }).webhooks,
    ).toEqual({ toleranceSeconds: 60, tenantCacheTtlMs: 0, secretRefreshIntervalMs: 1000 });
  });

  it('applies the retention defaults', () => {
    expect(loadConfig({}).retention).toEqual({
      enabled: true,
      webhookEventsDays: 30,
      auditLogDays: 365,
      batchSize: 1000,
    });
  });

  it('parses the retention variables', () => {
    const { retention } = loadConfig({
      RETENTION_PRUNE_ENABLED: 'false',
      WEBHOOK_EVENTS_RETENTION_DAYS: '1',
      AUDIT_LOG_RETENTION_DAYS: '30',
      RETENTION_PRUNE_BATCH_SIZE: '10000',
    });

    expect(retention).toEqual({
      enabled: false,
      webhookEventsDays: 1,
      auditLogDays: 30,
      batchSize: 10000,
    });
  });

  it.each([
    ['WEBHOOK_EVENTS_RETENTION_DAYS', '0'],
    ['WEBHOOK_EVENTS_RETENTION_DAYS', '3651'],
    ['WEBHOOK_EVENTS_RETENTION_DAYS', '1.5'],
    ['AUDIT_LOG_RETENTION_DAYS', '29'],
    ['AUDIT_LOG_RETENTION_DAYS', 'forever'],
    ['RETENTION_PRUNE_BATCH_SIZE', '0'],
    ['RETENTION_PRUNE_BATCH_SIZE', '10001'],
    ['RETENTION_PRUNE_ENABLED', 'maybe'],
  ])('rejects %s=%s', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}: `));
  });

  it('rejects an out-of-range webhook tolerance', () => {
    expect(() => loadConfig({ WEBHOOK_TOLERANCE_SECONDS: '0' })).toThrow(
      /WEBHOOK_TOLERANCE_SECONDS/,
    );
  });
});
