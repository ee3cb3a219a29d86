import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { deriveKey } from './secret-box';

const keyPattern = /^aias_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{43})$/;

export interface IssuedApiKey {
  /** The whole key, shown to the operator once and never stored. */
  plaintext: string;
  prefix: string;
  hash: string;
}

/**
 * Tenant API keys look like `aias_<12-char prefix>_<43-char secret>`. The prefix finds the row.
 * The stored hash is an HMAC-SHA256 of the whole key under a key derived from APP_ENCRYPTION_KEY, so a
 * leaked table alone cannot be used to test guesses offline.
 */
export class ApiKeyHasher {
  private readonly key: Buffer;

  constructor(masterKey: Buffer) {
    this.key = deriveKey(masterKey, 'api-key-hash');
  }

  issue(): IssuedApiKey {
    const prefix = randomBytes(9).toString('base64url').replace(/[-_]/g, 'x').slice(0, 12);
    const plaintext = `aias_${prefix}_${randomBytes(32).toString('base64url')}`;

    return { plaintext, prefix, hash: this.hash(plaintext) };
  }

  hash(plaintext: string): string {
    return createHmac('sha256', this.key).update(plaintext).digest('hex');
  }

  matches(plaintext: string, storedHash: string): boolean {
    const actual = Buffer.from(this.hash(plaintext), 'hex');
    const expected = Buffer.from(storedHash, 'hex');

    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }
}

/** Returns the lookup prefix of a well-formed key, or undefined. */
export function apiKeyPrefix(plaintext: string): string | undefined {
  return keyPattern.exec(plaintext)?.[1];
}
