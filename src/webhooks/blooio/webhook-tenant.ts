import type { TenantStatus } from '../../generated/prisma/enums';

export interface SigningSecret {
  secret: string;
  /** Unix time in ms after which a previous secret no longer verifies; absent for the current one. */
  validUntilMs?: number;
}

/** A receiving number's tenant with its decrypted signing secrets, as cached in memory. */
export interface WebhookTenant {
  tenantId: string;
  status: TenantStatus;
  /** ISO 3166 alpha-2 region used to read contacts' national phone numbers. */
  defaultRegion: string;
  secrets: SigningSecret[];
}

export type WebhookRejectionReason =
  | 'malformed_header'
  | 'stale_timestamp'
  | 'missing_receiving_number'
  | 'unknown_number'
  | 'tenant_suspended'
  | 'signature_mismatch';

export type WebhookAuthentication =
  | { tenant: WebhookTenant; reason?: undefined }
  | { tenant?: undefined; reason: WebhookRejectionReason; tenantId?: string };
