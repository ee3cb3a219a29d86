import type { FastifyReply } from 'fastify';

import { appendRateLimitFields, quotaPolicyItem, serviceLimitItem } from './rate-limit-headers';

const state = { name: 'ip-burst', limit: 100, windowSeconds: 10, remaining: 42, resetSeconds: 7 };

function fakeReply(): FastifyReply & { headers: Record<string, string> } {
  const headers: Record<string, string> = {};
  const reply = {
    headers,
    getHeader: (name: string) => headers[name.toLowerCase()],
    header(name: string, value: string) {
      headers[name.toLowerCase()] = value;

      return reply;
    },
  };

  return reply as unknown as FastifyReply & { headers: Record<string, string> };
}

describe('rate limit headers', () => {
  it('formats a quota policy item', () => {
    expect(quotaPolicyItem(state)).toBe('"ip-burst";q=100;w=10');
  });

  it('formats a service limit item', () => {
    expect(serviceLimitItem(state)).toBe('"ip-burst";r=42;t=7');
  });

  it('appends one item per limit to each field', () => {
    const reply = fakeReply();

    appendRateLimitFields(reply, state);
    appendRateLimitFields(reply, { ...state, name: 'tenant', limit: 300, windowSeconds: 60 });

    expect(reply.headers['ratelimit-policy']).toBe('"ip-burst";q=100;w=10, "tenant";q=300;w=60');
    expect(reply.headers['ratelimit']).toBe('"ip-burst";r=42;t=7, "tenant";r=42;t=7');
  });
});
