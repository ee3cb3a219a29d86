import { SetMetadata } from '@nestjs/common';

export const RATE_LIMIT_FAIL_CLOSED = 'aias:rate-limit-fail-closed';

/**
 * Rejects the route's requests with 503 and Retry-After while Redis is configured but unreachable,
 * instead of the default of limiting per instance in memory. For routes where a limit that each
 * instance counts separately is not good enough.
 */
export const RateLimitFailClosed = (): ClassDecorator & MethodDecorator =>
  SetMetadata(RATE_LIMIT_FAIL_CLOSED, true);
