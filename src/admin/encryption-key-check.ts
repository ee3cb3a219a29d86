import { Injectable } from '@nestjs/common';

import { SecretBox } from '../common/crypto/secret-box';
import type { TenantTransaction } from '../database/tenant-database';
import { EncryptionKeyMismatchError } from './admin.errors';
import { WebhookSecretRepository } from './webhook-secret.repository';

/**
 * Checks that this process's APP_ENCRYPTION_KEY is the one the tenant's data was written with, by
 * decrypting the tenant's stored signing secret. A CLI run with another key would write secrets
 * and API-key hashes the service cannot use.
 */
@Injectable()
export class EncryptionKeyCheck {
  constructor(
    private readonly secrets: WebhookSecretRepository,
    private readonly box: SecretBox,
  ) {}

  /**
   * Returns the tenant's current signing secret in plaintext, or undefined when it has none (then
   * nothing can be checked). Throws EncryptionKeyMismatchError when it does not decrypt.
   */
  async currentSecret(
    tx: TenantTransaction,
    tenant: { id: string; slug: string },
  ): Promise<string | undefined> {
    const ciphertext = await this.secrets.findCurrent(tx, tenant.id);

    if (!ciphertext) {
      return undefined;
    }

    try {
      return this.box.decrypt(ciphertext, tenant.id);
    } catch {
      throw new EncryptionKeyMismatchError(tenant.slug);
    }
  }
}
