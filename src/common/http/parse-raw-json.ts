import { BadRequestException } from '@nestjs/common';
import secureJsonParse from 'secure-json-parse';

/**
 * Parses a raw JSON body the way the global JSON parser does: `__proto__` keys and `constructor`
 * keys that carry a `prototype` are removed. Throws a 400 for an empty or malformed body.
 */
export function parseRawJson(body: Buffer): unknown {
  if (body.length === 0) {
    throw new BadRequestException(
      'Body cannot be empty when content-type is set to application/json',
    );
  }

  try {
    return secureJsonParse.parse(body, {
      protoAction: 'remove',
      constructorAction: 'remove',
    }) as unknown;
  } catch {
    throw new BadRequestException('Body is not valid JSON');
  }
}
