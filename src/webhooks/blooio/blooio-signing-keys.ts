import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { LoadingCache } from '../../common/cache/loading-cache';
import { SecretBox } from '../../common/crypto/secret-box';
import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { TenantDatabase } from '../../database/tenant-database';
import { TenantResolver } from '../../database/tenant-resolver';
import { hasMatchingSignature } from './blooio-signature';
import type { SignatureHeader } from './blooio-signature';
import { WebhookTenantRepository } from '../webhook-tenant.repository';
import type { StoredSigningSecrets } from '../webhook-tenant.repository';
import type { SigningSecret, WebhookAuthentication, WebhookTenant } from './webhook-tenant';

// NOTE: each distinct unknown number still costs one tenant lookup before it is cached, so only a
// per-client rate limit bounds a flood of made-up numbers.
const maxCachedNumbers = 10_000;

/**
 * Finds the tenant behind a receiving number and checks a Blooio signature against its current
 * secret and, until it expires, its previous one.
 *
 * Tenants and decrypted secrets are cached per number for a short TTL, unknown numbers included, so
 * a flood of forged requests costs no database work. After a mismatch the number's secrets are
 * reloaded, at most once per refresh interval, so a secret rotated moments ago is picked up.
 * NOTE: a secret cut off early in the database keeps verifying on this instance until its cache
 * entry expires (at most the cache TTL).
 */
@Injectable()
export class BlooioSigningKeys {
  private readonly cache: LoadingCache<WebhookTenant | null>;

  constructor(
    private readonly resolver: TenantResolver,
    private readonly db: TenantDatabase,
    private readonly secrets: WebhookTenantRepository,
    private readonly secretBox: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BlooioSigningKeys.name);
    this.cache = new LoadingCache({
      ttlMs: config.webhooks.tenantCacheTtlMs,
      maxEntries: maxCachedNumbers,
    });
  }

  async authenticate(
    receivingNumber: string,
    header: SignatureHeader,
    rawBody: Buffer,
  ): Promise<WebhookAuthentication> {
    const load = (): Promise<WebhookTenant | null> => this.load(receivingNumber);
    const tenant = await this.cache.get(receivingNumber, load);

    if (!tenant) {
      return { reason: 'unknown_number' };
    }

    if (tenant.status !== 'active') {
      return { reason: 'tenant_suspended', tenantId: tenant.tenantId };
    }

    if (this.verifies(tenant, header, rawBody)) {
      return { tenant };
    }

    const reloading = this.cache.reload(
      receivingNumber,
      load,
      this.config.webhooks.secretRefreshIntervalMs,
    );
    const reloaded = reloading ? await reloading : undefined;

    if (reloaded?.status === 'active' && this.verifies(reloaded, header, rawBody)) {
      return { tenant: reloaded };
    }

    return { reason: 'signature_mismatch', tenantId: tenant.tenantId };
  }

  private verifies(tenant: WebhookTenant, header: SignatureHeader, rawBody: Buffer): boolean {
    const nowMs = Date.now();

    return tenant.secrets.some(
      (candidate) =>
        (candidate.validUntilMs === undefined || candidate.validUntilMs > nowMs) &&
        hasMatchingSignature(candidate.secret, header, rawBody),
    );
  }

  private async load(receivingNumber: string): Promise<WebhookTenant | null> {
    const resolved = await this.resolver.byReceivingNumber(receivingNumber);

    if (!resolved) {
      return null;
    }

    const settings = await this.db.transaction(resolved.tenantId, (tx) =>
      this.secrets.findSettings(tx, resolved.tenantId),
    );

    if (!settings?.secrets) {
      this.logger.warn({ tenantId: resolved.tenantId }, 'Tenant has no Blooio signing secret');
    }

    return {
      tenantId: resolved.tenantId,
      status: resolved.status,
      defaultRegion: settings?.defaultRegion ?? 'US',
      secrets: settings?.secrets ? this.decrypt(resolved.tenantId, settings.secrets) : [],
    };
  }

  private decrypt(tenantId: string, stored: StoredSigningSecrets): SigningSecret[] {
    const nowMs = Date.now();
    const result: SigningSecret[] = [];
    const current = this.open(tenantId, stored.currentCiphertext, 'current');

    if (current) {
      result.push({ secret: current });
    }

    const validUntilMs = stored.previousExpiresAt?.getTime();

    if (stored.previousCiphertext && validUntilMs !== undefined && validUntilMs > nowMs) {
      const previous = this.open(tenantId, stored.previousCiphertext, 'previous');

      if (previous) {
        result.push({ secret: previous, validUntilMs });
      }
    }

    return result;
  }

  private open(tenantId: string, ciphertext: string, which: string): string | undefined {
    try {
      return this.secretBox.decrypt(ciphertext, tenantId);
    } catch (error) {
      this.logger.error(
        { err: error, tenantId, which },
        'Failed to decrypt a Blooio signing secret; check APP_ENCRYPTION_KEY',
      );

      return undefined;
    }
  }
}
