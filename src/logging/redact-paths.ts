/**
 * Paths pino replaces with "[redacted]" in every log line. Request bodies are never logged, but
 * errors and domain logs may carry these fields.
 */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-blooio-signature"]',
  'req.headers["blooio-signature"]',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.apiKey',
  '*.secret',
  '*.signingSecret',
  '*.token',
  '*.password',
  '*.phone',
  '*.text',
  '*.body',
  '*.email',
  'apiKey',
  'secret',
  'token',
  'phone',
  'text',
  'email',
];
