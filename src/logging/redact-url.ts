// Query parameters whose values are personal data, such as the tenant API's phone filter.
const sensitiveQuery = /([?&](?:phone|email)=)[^&#]*/gi;

/** Replaces the values of personal query parameters in a request URL before it is logged. */
export function redactUrl(url: string): string {
  return url.replace(sensitiveQuery, '$1[redacted]');
}
