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

  it('decodes the encryption key', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://app@db/aias',
      APP_ENCRYPTION_KEY: key,
    });

    expect(config.encryptionKey?.equals(Buffer.alloc(32, 1))).toBe(true);
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

  it('rejects an out-of-range webhook tolerance', () => {
    expect(() => loadConfig({ WEBHOOK_TOLERANCE_SECONDS: '0' })).toThrow(
      /WEBHOOK_TOLERANCE_SECONDS/,
    );
  });
});
