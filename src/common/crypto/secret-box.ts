import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const version = 'v1';

function deriveKey(masterKey: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), `aias:${purpose}`, 32));
}

/**
 * AES-256-GCM for secrets at rest (webhook signing secrets). The stored form is
 * `v1.<iv>.<tag>.<ciphertext>` in base64url, and the tenant id is bound in as associated data so a
 * ciphertext copied to another tenant's row fails to decrypt.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    if (masterKey.length !== 32) {
      throw new Error('SecretBox needs a 32-byte key');
    }

    this.key = deriveKey(masterKey, 'secret-box');
  }

  encrypt(plaintext: string, tenantId: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);

    cipher.setAAD(Buffer.from(tenantId));

    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), ciphertext].map((part) => part.toString('base64url'));

    return [version, ...parts].join('.');
  }

  decrypt(stored: string, tenantId: string): string {
    const [storedVersion, iv, tag, ciphertext] = stored.split('.');

    if (storedVersion !== version || !iv || !tag || ciphertext === undefined) {
      throw new Error('Stored secret has an unknown format');
    }

    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));

    decipher.setAAD(Buffer.from(tenantId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));

    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}

export { deriveKey };
