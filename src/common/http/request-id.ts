import type { FastifyRequest } from 'fastify';

/** Returns the request id, which is also sent back in X-Request-Id and logged as req.id. */
export function requestIdOf(request: FastifyRequest | undefined): string | undefined {
  return typeof request?.id === 'string' ? request.id : undefined;
}
