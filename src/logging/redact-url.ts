import { uuidPattern } from '../common/validation/uuid-pattern';

const isoDate =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Query parameters of the tenant API whose values carry no personal data, with the shape a valid
 * value has. A request line keeps a value of that shape. Every other value is replaced, whatever the
 * client sends or however it encodes the name.
 */
const loggedQueryValues = new Map<string, RegExp>([
  ['limit', /^\d{1,3}$/],
  ['createdFrom', isoDate],
  ['createdTo', isoDate],
  ['pipelineId', uuidPattern],
  ['status', /^[a-z_]{1,32}$/],
]);

const parameterName = /^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/;
// Route names: lower-case words joined by - or . (conversations, swagger-ui.css, v1).
const routeWord = /^[a-z][a-z0-9]*(?:[-.][a-z0-9]+)*$/;
const digitRun = /\d{3}/;

const redacted = '[redacted]';

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// Route names and UUIDs pass. Anything else in a path came from a client: a phone number, with
// or without separators, an email address, or a secret or API key pasted into the URL.
function redactSegment(segment: string): string {
  if (uuidPattern.test(segment)) {
    return segment;
  }

  const decoded = decode(segment);

  return decoded === '' || (routeWord.test(decoded) && !digitRun.test(decoded))
    ? segment
    : redacted;
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

  if (separator === -1) {
    return pair;
  }

  const shape = loggedQueryValues.get(name);

  return shape?.test(decode(pair.slice(separator + 1))) ? pair : `${rawName}=${redacted}`;
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
