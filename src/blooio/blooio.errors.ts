/** Blooio's 429 codes for spend caps: not rate limits, so retrying cannot succeed. */
export const BLOOIO_QUOTA_CODES = ['outbound_limit_reached', 'new_conversation_limit_reached'];

/** A send Blooio rejected for good (4xx, a quota code, or a failed status): never retry it. */
export class BlooioSendRejectedError extends Error {
  override readonly name = 'BlooioSendRejectedError';

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }

  isQuota(): boolean {
    return BLOOIO_QUOTA_CODES.includes(this.code);
  }
}

/** Every attempt failed with a transient error; a later retry with the same key may succeed. */
export class BlooioUnavailableError extends Error {
  override readonly name = 'BlooioUnavailableError';

  constructor(
    message: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}
