import { Inject, Injectable } from '@nestjs/common';

import { AuditLogRepository } from '../audit-log/audit-log.repository';
import { SecretBox } from '../common/crypto/secret-box';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { TenantDatabase } from '../database/tenant-database';
import { MAX_ROTATION_WINDOW_MINUTES, validateCount, validateSigningSecret } from './admin-input';
import { WebhookSecretMissingError, WebhookSecretUnchangedError } from './admin.errors';
import { EncryptionKeyCheck } from './encryption-key-check';
import { TenantLookup } from './tenant-lookup';
import { WebhookSecretRepository } from './webhook-secret.repository';

export interface SecretChange {
  slug: string;
  /** When the previous secret stops being accepted; null when it was dropped at once. */
  previousValidUntil: Date | null;
}

/**
 * Sets and rotates a tenant's Blooio webhook signing secret, encrypted with SecretBox. Blooio
 * switches to a new secret at once, so a rotation keeps the previous one valid for a window to
 * accept deliveries signed before the switch. Neither secret is ever logged or audited.
 */
@Injectable()
export class WebhookSecretAdminService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly secrets: WebhookSecretRepository,
    private readonly lookup: TenantLookup,
    private readonly audit: AuditLogRepository,
    private readonly box: SecretBox,
    private readonly keyCheck: EncryptionKeyCheck,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Replaces the secret and drops any previous one at once, as after a leak. */
  async set(reference: string, secret: string, actor: string): Promise<SecretChange> {
    const plaintext = validateSigningSecret(secret);
    const tenant = await this.lookup.resolve(reference);

    await this.db.transaction(tenant.id, async (tx) => {
      // A secret written under another key means this CLI runs with the wrong APP_ENCRYPTION_KEY,
      // and everything it wrote would be unreadable by the service.
      await this.keyCheck.currentSecret(tx, tenant);

      await this.secrets.save(tx, tenant.id, {
        currentCiphertext: this.box.encrypt(plaintext, tenant.id),
        previousCiphertext: null,
        previousExpiresAt: null,
      });
      await this.audit.append(tx, tenant.id, {
        actor,
        action: 'webhook_secret.set',
        details: { slug: tenant.slug },
      });
    });

    return { slug: tenant.slug, previousValidUntil: null };
  }

  /** Makes the new secret current and keeps the old one valid for the window (minutes). */
  async rotate(
    reference: string,
    secret: string,
    actor: string,
    windowMinutes?: string,
  ): Promise<SecretChange> {
    const plaintext = validateSigningSecret(secret);
    const minutes =
      windowMinutes === undefined
        ? this.config.webhookSecretRotationWindowMinutes
        : validateCount('--keep-previous-minutes', windowMinutes, MAX_ROTATION_WINDOW_MINUTES);
    const tenant = await this.lookup.resolve(reference);
    const previousValidUntil = minutes > 0 ? new Date(Date.now() + minutes * 60_000) : null;

    await this.db.transaction(tenant.id, async (tx) => {
      const current = await this.secrets.findCurrent(tx, tenant.id);
      const currentPlaintext = await this.keyCheck.currentSecret(tx, tenant);

      if (!current || currentPlaintext === undefined) {
        throw new WebhookSecretMissingError(tenant.slug);
      }

      if (currentPlaintext === plaintext) {
        throw new WebhookSecretUnchangedError();
      }

      await this.secrets.save(tx, tenant.id, {
        currentCiphertext: this.box.encrypt(plaintext, tenant.id),
        previousCiphertext: previousValidUntil ? current : null,
        previousExpiresAt: previousValidUntil,
      });
      await this.audit.append(tx, tenant.id, {
        actor,
        action: 'webhook_secret.rotated',
        details: {
          slug: tenant.slug,
          previousValidUntil: previousValidUntil?.toISOString() ?? null,
        },
      });
    });

    return { slug: tenant.slug, previousValidUntil };
  }
}
