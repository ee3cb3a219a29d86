import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createTestApp } from './support/create-test-app';

interface OpenApiDocument {
  openapi: string;
  paths: Record<
    string,
    Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>
  >;
  components: { schemas: Record<string, { properties?: Record<string, unknown> }> };
}

describe('OpenAPI', () => {
  let app: NestFastifyApplication;
  let document: OpenApiDocument;

  beforeAll(async () => {
    app = await createTestApp();
    document = (await app.inject({ method: 'GET', url: '/docs-json' })).json<OpenApiDocument>();
  });

  afterAll(async () => {
    await app.close();
  });

  it('serves the Swagger UI', async () => {
    const response = await app.inject({ method: 'GET', url: '/docs' });

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html/);
  });

  it('describes the webhook routes and aliases', () => {
    expect(document.openapi).toMatch(/^3\./);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/webhooks/blooio',
        '/webhooks/blooio-inbound',
        '/webhooks/lead-intake',
        '/lead-intake',
      ]),
    );
    expect(document.paths['/webhooks/blooio'].post.responses).toHaveProperty('401');
    expect(document.paths['/webhooks/lead-intake'].post.responses).toHaveProperty('201');
  });

  it('describes the payloads', () => {
    expect(Object.keys(document.components.schemas.BlooioWebhookDto.properties ?? {})).toEqual(
      expect.arrayContaining(['event', 'message_id', 'external_id', 'internal_id', 'attachments']),
    );
    expect(Object.keys(document.components.schemas.CreateLeadDto.properties ?? {})).toEqual(
      expect.arrayContaining(['name', 'phone', 'email', 'consent', 'utm', 'tags', 'externalId']),
    );
    expect(document.components.schemas).toHaveProperty('LeadConsentDto');
    expect(document.components.schemas).toHaveProperty('ErrorResponseDto');
  });
});
