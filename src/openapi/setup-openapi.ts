import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';

const description = `AIAS answers business leads by SMS and iMessage through Blooio.

Blooio posts inbound messages and delivery statuses to /webhooks/blooio, signed with the tenant's
whsec_ secret (X-Blooio-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">).
Web forms and CRMs post leads to /webhooks/lead-intake with a tenant API key.

Every error has the body {statusCode, error, message, requestId}.`;

/** Serves the OpenAPI description at /docs (Swagger UI) and /docs-json. */
export function setupOpenApi(app: NestFastifyApplication): void {
  const config = app.get<AppConfig>(APP_CONFIG);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('AIAS backend')
      .setDescription(description)
      .setVersion(config.version)
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'aias_<prefix>_<secret>',
        description: 'Tenant API key',
      })
      .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Api-Key' }, 'api-key')
      .build(),
  );

  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    raw: ['json'],
  });
}
