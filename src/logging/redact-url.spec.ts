import { redactUrl } from './redact-url';

describe('redactUrl', () => {
  it.each([
    ['/v1/conversations?phone=%2B14155550100', '/v1/conversations?phone=[redacted]'],
    [
      '/v1/conversations?limit=5&PHONE=415&cursor=abc',
      '/v1/conversations?limit=5&PHONE=[redacted]&cursor=[redacted]',
    ],
    ['/x?email=a%40b.c&phone=1&phone=2', '/x?email=[redacted]&phone=[redacted]&phone=[redacted]'],
    ['/v1/conversations?%70hone=%2B1212', '/v1/conversations?%70hone=[redacted]'],
    [
      '/v1/conversations?apiKey=aias_x&token=aias_y',
      '/v1/conversations?apiKey=[redacted]&token=[redacted]',
    ],
    ['/v1/conversations?phone[]=%2B1212', '/v1/conversations?[redacted]'],
    ['/v1/conversations?%2B12125550243=1', '/v1/conversations?[redacted]'],
    ['/webhooks/blooio?text=hi&to=%2B1212', '/webhooks/blooio?text=[redacted]&to=[redacted]'],
    ['/v1/conversations?limit=14155551234', '/v1/conversations?limit=[redacted]'],
    ['/v1/conversations?createdFrom=%2B14155551234', '/v1/conversations?createdFrom=[redacted]'],
    ['/v1/opportunities?pipelineId=415-555-1234', '/v1/opportunities?pipelineId=[redacted]'],
  ])('redacts query values in %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each([
    ['/v1/conversations/%2B12125550243', '/v1/conversations/[redacted]'],
    ['/v1/conversations/12125550243/messages', '/v1/conversations/[redacted]/messages'],
    ['/v1/contacts/ann%40example.com', '/v1/contacts/[redacted]'],
    ['/v1/conversations/415-555-1234', '/v1/conversations/[redacted]'],
    ['/v1/conversations/whsec_alphasecret1', '/v1/conversations/[redacted]'],
    ['/v1/conversations/aias_ab12cd_Zx9secret', '/v1/conversations/[redacted]'],
  ])('redacts path parameters in %s', (url, expected) => {
    expect(redactUrl(url)).toBe(expected);
  });

  it.each([
    '/v1/pipelines',
    '/v1/conversations?',
    '/v1/opportunities?pipelineId=7d0c6c1e-2f4b-4a55-9a1e-3f1b2c4d5e6f&status=open&limit=20',
    '/v1/conversations?createdFrom=2026-01-01T00:00:00Z&createdTo=2026-02-01',
    '/v1/conversations/7d0c6c1e-2f4b-4a55-9a1e-3f1b2c4d5e6f/messages',
    '/docs/swagger-ui.css',
  ])('keeps %s', (url) => {
    expect(redactUrl(url)).toBe(url);
  });
});
