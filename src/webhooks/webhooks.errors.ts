export type WebhookErrorCode =
  | 'invalid_payload'
  | 'invalid_contact'
  | 'missing_contact'
  | 'invalid_idempotency_key'
  | 'idempotency_key_reused'
  | 'contact_conflict'
  | 'no_default_pipeline';

/** A rejected webhook or lead; WebhookErrorFilter maps each code to an HTTP status. */
export class WebhookError extends Error {
  override readonly name = 'WebhookError';

  constructor(
    readonly code: WebhookErrorCode,
    readonly details: string | string[],
  ) {
    super(Array.isArray(details) ? details.join('; ') : details);
  }
}
