/**
 * Base class of the errors services raise for a broken business rule. The code is stable and
 * machine-readable; DOMAIN_ERROR_STATUS in the exception filter maps it to an HTTP status, and the
 * CLI prints the message. The message goes to the client, so it must not contain secrets.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}
