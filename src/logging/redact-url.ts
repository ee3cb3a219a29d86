/**
 * Query parameters of the tenant API whose values carry no personal data, so request lines keep
 * them. Every other value is replaced, whatever the client sends or however it encodes the name.
 */
const loggedQueryValues = new Set(['limit', 'createdFrom', 'createdTo', 'pipelineId', 'status']);

const parameterName = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const plainSegment = /^[A-Za-z0-9_.-]*$/;
const longDigitRun = /\d{7}/;

const redacted = '[redacted]';

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// Route names and UUIDs pass. A segment with seven digits in a row (a phone number) or another
// character (the + of a phone number, the @ of an email address) came from a client, so it is replaced.
function redactSegment(segment: string): string {
  if (uuid.test(segment)) {
    return segment;
  }

  const decoded = decode(segment);

  return plainSegment.test(decoded) && !longDigitRun.test(decoded) ? segment : redacted;
}

function redactParameter(pair: string): string {
  if (pair === '') {
    return pair;
  }

  const separator = pair.indexOf('=');
  const rawName = separator === -1 ? pair : pair.slice(0, separator);
  const name = decode(rawName);

  if (!parameterName.test(name)) {
    return redacted;
  }

  return separator === -1 || loggedQueryValues.has(name) ? pair : `${rawName}=${redacted}`;
}

/** Replaces personal data in a request URL before it is logged: path parameters and query values. */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const loggedPath = path.split('/').map(redactSegment).join('/');

  if (queryStart === -1) {
    return loggedPath;
  }

  const query = url.slice(queryStart + 1);

  return `${loggedPath}?${query.split('&').map(redactParameter).join('&')}`;
}
