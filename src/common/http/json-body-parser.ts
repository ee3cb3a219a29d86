import { BadRequestException, UnsupportedMediaTypeException } from '@nestjs/common';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import { isNestedDeeperThan } from './json-depth';
import { stripNullCharacters } from './strip-null-characters';

/** Deepest nesting of objects and arrays accepted in a JSON body. */
export const MAX_JSON_DEPTH = 32;

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Leave the JSON body as the raw Buffer, for routes that verify a signature over the bytes first. */
    rawJsonBody?: boolean;
  }
}

/** Returns the request's Content-Encoding unless it is absent or lists only identity. */
function contentEncodingOf(request: FastifyRequest): string | undefined {
  const encoding = request.headers['content-encoding']?.trim();
  const codings = (encoding ?? '').split(',').map((coding) => coding.trim().toLowerCase());

  return codings.every((coding) => coding === '' || coding === 'identity') ? undefined : encoding;
}

/** Returns the charset the Content-Type names, lower-cased and unquoted, if any. */
function charsetOf(request: FastifyRequest): string | undefined {
  const match = /;\s*charset\s*=\s*"?([^";\s]*)"?/i.exec(request.headers['content-type'] ?? '');

  return match?.[1].toLowerCase();
}

/** Returns whether a charset is UTF-8, which RFC 8259 (section 8.1) requires for JSON. */
function isUtf8(charset: string | undefined): boolean {
  return charset === undefined || charset === 'utf-8' || charset === 'utf8';
}

/**
 * Returns how an error message names a header value: `${label} ${value}` when the value is one
 * short token, else `generic`, so a long header is not echoed back.
 */
function describeHeaderValue(label: string, value: string, generic: string): string {
  return /^[\w.-]{1,32}$/.test(value) ? `${label} ${value}` : generic;
}

/**
 * Replaces Fastify's body parsers with one for JSON, so any other media type gets a 415. Routes
 * marked `rawJsonBody` get the untouched bytes and parse them after verifying the signature. The
 * others get JSON parsed with prototype-poisoning keys removed. Bodies nested deeper than
 * MAX_JSON_DEPTH levels are a 400, because the recursive validation pipe would overflow the stack.
 * U+0000 is removed from strings because PostgreSQL cannot store it. A body with a
 * Content-Encoding other than identity is a 415, because it is never decompressed, and so is one
 * whose Content-Type names a charset other than UTF-8, because it is always read as UTF-8.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('remove', 'remove');

  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (
      request: FastifyRequest,
      body: Buffer,
      done: (error: Error | null, body?: unknown) => void,
    ) => {
      const encoding = contentEncodingOf(request);

      if (encoding) {
        const named = describeHeaderValue('Content-Encoding', encoding, 'This Content-Encoding');

        done(
          new UnsupportedMediaTypeException(
            `${named} is not supported: send the body uncompressed`,
          ),
        );

        return;
      }

      const charset = charsetOf(request);

      if (!isUtf8(charset)) {
        const named = describeHeaderValue('Charset', charset ?? '', 'This charset');

        done(new UnsupportedMediaTypeException(`${named} is not supported: send JSON as UTF-8`));

        return;
      }

      if (request.routeOptions.config?.rawJsonBody) {
        done(null, body);

        return;
      }

      void parseJson(request, body.toString('utf8'), (error, parsed) => {
        if (!error && isNestedDeeperThan(parsed, MAX_JSON_DEPTH)) {
          done(new BadRequestException(`JSON body nests deeper than ${MAX_JSON_DEPTH} levels`));

          return;
        }

        done(error, error ? parsed : stripNullCharacters(parsed));
      });
    },
  );
}
