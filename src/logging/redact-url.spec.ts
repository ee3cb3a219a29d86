import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['/v1/conversations?phone=%2B14155550100', '/v1/conversations?phone=[redacted]'],
    [
      '/v1/conversations?limit=5&PHONE=415&cursor=abc',
      '/v1/conversations?limit=5&PHONE=[redacted]&cursor=abc',
    ],
    ['/x?email=a%40b.c&phone=1&phone=2', '/x?email=[redacted]&phone=[redacted]&phone=[redacted]'],
    ['/v1/conversations?telephone=1', '/v1/conversations?telephone=1'],
    ['/v1/pipelines', '/v1/pipelines'],
  ])('redacts %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });
});
