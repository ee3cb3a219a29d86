import { WebhookError } from '../webhooks.errors';

const keyPattern = /^[\x21-\x7e]{1,255}$/;

/**
 * Returns the inbox key that makes a lead request idempotent: the Idempotency-Key header when
 * present, otherwise the source system's external id, otherwise undefined (no deduplication).
 */
export function leadDedupKey(
  header: string | string[] | undefined,
  externalId?: string,
): string | undefined {
  if (header !== undefined) {
    if (typeof header !== 'string' || !keyPattern.test(header)) {
      throw new WebhookError(
        'invalid_idempotency_key',
        'Idempotency-Key must be 1 to 255 visible ASCII characters',
      );
    }

    return `key:${header}`;
  }

  return externalId === undefined ? undefined : `external:${externalId}`;
}
