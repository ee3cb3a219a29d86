import { DomainError } from '../common/errors/domain-error';

export class InvalidAdminInputError extends DomainError {
  readonly code = 'invalid_admin_input';
}

export class TenantNotFoundError extends DomainError {
  readonly code = 'tenant_not_found';

  constructor(reference: string) {
    super(`No tenant has the id or slug "${reference}": run "tenant list" to see them`);
  }
}

export class SlugTakenError extends DomainError {
  readonly code = 'slug_taken';

  constructor(slug: string) {
    super(`The slug "${slug}" is already used by another tenant: choose another`);
  }
}

export class SendingNumberTakenError extends DomainError {
  readonly code = 'sending_number_taken';

  constructor(phone: string) {
    super(
      `${phone} is already a sending number of a tenant: a number can belong to one tenant only`,
    );
  }
}

export class WebhookSecretMissingError extends DomainError {
  readonly code = 'webhook_secret_missing';

  constructor(slug: string) {
    super(`Tenant ${slug} has no webhook signing secret to rotate: use "secret set" first`);
  }
}

export class WebhookSecretUnchangedError extends DomainError {
  readonly code = 'webhook_secret_unchanged';

  constructor() {
    super('The new signing secret equals the current one: paste the secret Blooio generated');
  }
}

export class ApiKeyNotFoundError extends DomainError {
  readonly code = 'api_key_not_found';

  constructor(reference: string, slug: string) {
    super(`Tenant ${slug} has no API key with the id or prefix "${reference}": run "key list"`);
  }
}

export class EncryptionKeyMismatchError extends DomainError {
  readonly code = 'encryption_key_mismatch';

  constructor(slug: string) {
    super(
      `The stored signing secret of tenant ${slug} does not decrypt with this APP_ENCRYPTION_KEY: run the CLI with the service's key`,
    );
  }
}

export class TenantConversationNotFoundError extends DomainError {
  readonly code = 'conversation_not_found';

  constructor(conversationId: string, slug: string) {
    super(
      `Tenant ${slug} has no conversation with the id "${conversationId}": run "conversation paused ${slug}" to list its paused conversations`,
    );
  }
}
