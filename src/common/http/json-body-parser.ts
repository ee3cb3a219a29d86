import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Leave the JSON body as the raw Buffer, for routes that verify a signature over the bytes first. */
    rawJsonBody?: boolean;
  }
}

/**
 * Replaces Fastify's JSON parser. Routes marked `rawJsonBody` get the untouched bytes and parse them
 * after verifying the signature; the others get JSON parsed with prototype-poisoning keys removed.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('remove', 'remove');

  // JSON is the only body type the API accepts, so any other content type with a body gets a 415.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (
      request: FastifyRequest,
      body: Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => {
      if (request.routeOptions.config?.rawJsonBody) {
        done(null, body);

        return;
      }

      void parseJson(request, body.toString('utf8'), done);
    },
  );
}
