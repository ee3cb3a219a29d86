import type { FastifyReply } from 'fastify';

/**
 * The RateLimit fields of draft-ietf-httpapi-ratelimit-headers-10: `RateLimit-Policy` lists each
 * quota policy as `"name";q=<requests>;w=<window seconds>`, and `RateLimit` lists the current state
 * as `"name";r=<remaining>;t=<seconds until quota returns>`. Both are Structured Field lists, so
 * each named limit a request passes through appends one item.
 */
export interface RateLimitState {
  name: string;
  limit: number;
  windowSeconds: number;
  remaining: number;
  resetSeconds: number;
}

export function quotaPolicyItem(state: RateLimitState): string {
  return `"${state.name}";q=${state.limit};w=${state.windowSeconds}`;
}

export function serviceLimitItem(state: RateLimitState): string {
  return `"${state.name}";r=${state.remaining};t=${state.resetSeconds}`;
}

function appendListItem(reply: FastifyReply, field: string, item: string): void {
  const existing = reply.getHeader(field);
  const value = typeof existing === 'string' && existing !== '' ? `${existing}, ${item}` : item;

  void reply.header(field, value);
}

export function appendRateLimitFields(reply: FastifyReply, state: RateLimitState): void {
  appendListItem(reply, 'RateLimit-Policy', quotaPolicyItem(state));
  appendListItem(reply, 'RateLimit', serviceLimitItem(state));
}
