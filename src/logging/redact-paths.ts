/** Field names whose values are redacted in log lines: credentials, phone numbers and message text. */
export const sensitiveFields = [
  'apiKey',
  'secret',
  'signingSecret',
  'token',
  'password',
  'phone',
  'text',
  'body',
  'email',
] as const;

/**
 * Keys of log fields that may contain an object with sensitive fields one level down: errors, and the
 * records the domain code logs. req and res are absent, because their serializers keep only the id,
 * the method, the URL with personal query values redacted, and the status.
 */
export const redactedParents = [
  'err',
  'error',
  'cause',
  'contact',
  'lead',
  'message',
  'payload',
  'event',
  'config',
] as const;

/**
 * Paths pino replaces with "[redacted]": each sensitive field at the top level and under each
 * parent. Wildcard paths such as "*.phone" would cover any parent. But with them, pino runs its
 * redactor on every field of every line, strings included, and the redactor parses every path
 * again on each call. In the ingest benchmark, that was a sixth of the bytes allocated per message.
 */
export const redactPaths = [
  ...sensitiveFields,
  ...redactedParents.flatMap((parent) => sensitiveFields.map((field) => `${parent}.${field}`)),
];
