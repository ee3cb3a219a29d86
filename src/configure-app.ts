import { Logger as NestLogger } from '@nestjs/common';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { Logger } from 'nestjs-pino';

import { errorBody } from './common/filters/error-body';
import { registerJsonParser } from './common/http/json-body-parser';
import type { AppConfig } from './config/app-config';
import { closeConnectionsWhileDraining } from './health/graceful-shutdown';
import { requestIdFor } from './logging/logging.module';
import { setupOpenApi } from './openapi/setup-openapi';

export const MAX_BODY_BYTES = 256 * 1024;

function trustHops(hops: number): (address: string, hop: number) => boolean {
  return (_address, hop) => hop < hops;
}

const routerLogger = new NestLogger('HttpRouter');

// A URL that Fastify's router cannot decode fails before Nest's exception filters, and Fastify's
// own response would echo the URL and carry no request id. This responds as the filters do.
function rejectBeforeRouting(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const message =
    error.code === 'FST_ERR_BAD_URL'
      ? 'The request URL is not valid percent-encoding'
      : 'The request could not be routed';

  routerLogger.log(
    { requestId: request.id, code: error.code },
    'Rejected a request before routing',
  );
  void reply
    .header('x-request-id', request.id)
    .status(400)
    .send(errorBody(400, message, { requestId: request.id }));
}

/** The HTTP adapter, shared by main.ts and the e2e tests so both run the same server settings. */
export function createHttpAdapter(config: AppConfig): FastifyAdapter {
  return new FastifyAdapter({
    bodyLimit: MAX_BODY_BYTES,
    // Trusting exactly N hops makes request.ip the address the outermost trusted proxy saw, so a
    // client cannot pick its own rate-limit bucket by sending X-Forwarded-For. The count goes in as
    // a function because Fastify 5.12 trusts no hop at all when given a number.
    trustProxy: config.trustedProxyHops > 0 ? trustHops(config.trustedProxyHops) : false,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    logger: false,
    genReqId: requestIdFor,
    frameworkErrors: rejectBeforeRouting,
  });
}

/**
 * Applies what every instance of the app needs beyond its modules. Create the app with
 * `bodyParser: false`, because this registers the JSON parser itself.
 */
export function configureApp(app: NestFastifyApplication): NestFastifyApplication {
  app.useLogger(app.get(Logger));
  const fastify = app.getHttpAdapter().getInstance();

  registerJsonParser(fastify);
  setupOpenApi(app);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  closeConnectionsWhileDraining(app);

  return app;
}
