import { Injectable } from '@nestjs/common';

import { AuditLogRepository } from '../audit-log/audit-log.repository';
import { ApiKeyHasher } from '../common/crypto/api-key';
import { TenantDatabase } from '../database/tenant-database';
import { validateName, validateScopes } from './admin-input';
import { ApiKeyNotFoundError } from './admin.errors';
import { ApiKeyAdminRepository } from './api-key-admin.repository';
import type { ApiKeyListing } from './api-key-admin.repository';
import { EncryptionKeyCheck } from './encryption-key-check';
import { TenantLookup } from './tenant-lookup';

export interface IssuedKey {
  id: string;
  prefix: string;
  scopes: string[];
  /** The whole key. It is not stored and cannot be shown again. */
  plaintext: string;
}

export interface RevokedKey {
  key: ApiKeyListing;
  isChanged: boolean;
}

/** Issues, lists and revokes tenant API keys. Only the HMAC hash of a key is stored. */
@Injectable()
export class ApiKeyAdminService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly keys: ApiKeyAdminRepository,
    private readonly lookup: TenantLookup,
    private readonly audit: AuditLogRepository,
    private readonly hasher: ApiKeyHasher,
    private readonly keyCheck: EncryptionKeyCheck,
  ) {}

  async issue(reference: string, name: string, scopes: string, actor: string): Promise<IssuedKey> {
    const keyName = validateName('--name', name);
    const keyScopes = validateScopes(scopes);
    const tenant = await this.lookup.resolve(reference);
    const key = this.hasher.issue();
    const id = await this.db.transaction(tenant.id, async (tx) => {
      // The key's hash is keyed with APP_ENCRYPTION_KEY, so a key issued under another key would
      // get 401 at the service. A tenant without a signing secret cannot be checked.
      await this.keyCheck.currentSecret(tx, tenant);

      const keyId = await this.keys.insert(tx, {
        tenantId: tenant.id,
        name: keyName,
        prefix: key.prefix,
        hash: key.hash,
        scopes: keyScopes,
      });

      await this.audit.append(tx, tenant.id, {
        actor,
        action: 'api_key.issued',
        details: { slug: tenant.slug, keyId, prefix: key.prefix, name: keyName, scopes: keyScopes },
      });

      return keyId;
    });

    return { id, prefix: key.prefix, scopes: keyScopes, plaintext: key.plaintext };
  }

  async list(reference: string): Promise<ApiKeyListing[]> {
    const tenant = await this.lookup.resolve(reference);

    return this.db.transaction(tenant.id, (tx) => this.keys.list(tx));
  }

  /** Revokes a key by id or prefix; returns isChanged false when it was already revoked. */
  async revoke(reference: string, keyReference: string, actor: string): Promise<RevokedKey> {
    const tenant = await this.lookup.resolve(reference);

    return this.db.transaction(tenant.id, async (tx) => {
      const key = await this.keys.findByReference(tx, keyReference);

      if (!key) {
        throw new ApiKeyNotFoundError(keyReference, tenant.slug);
      }

      if (key.revokedAt) {
        return { key, isChanged: false };
      }

      const revokedAt = new Date();

      await this.keys.revoke(tx, key.id, revokedAt);
      await this.audit.append(tx, tenant.id, {
        actor,
        action: 'api_key.revoked',
        details: { slug: tenant.slug, keyId: key.id, prefix: key.prefix, name: key.name },
      });

      return { key: { ...key, revokedAt }, isChanged: true };
    });
  }
}
