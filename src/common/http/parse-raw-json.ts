import { BadRequestException } from '@nestjs/common';
import secureJsonParse from 'secure-json-parse';

import { stripNullCharacters } from './strip-null-characters';

/**
 * Parses a raw JSON body the way the global JSON parser does: `__proto__` keys and `constructor`
 * keys that carry a `prototype` are removed, and so is U+0000 in strings, except in the values of
 * the top-level keys in `keepValuesOf`. Throws a 400 for an empty or malformed body.
 */
export function parseRawJson(body: Buffer, keepValuesOf?: ReadonlySet<string>): unknown {
  if (body.length === 0) {
    throw new BadRequestException(
      'Body cannot be empty when content-type is set to application/json',
    );
  }

  let parsed: unknown;

  try {
    parsed = secureJsonParse.parse(body, { protoAction: 'remove', constructorAction: 'remove' });
  } catch {
    throw new BadRequestException('Body is not valid JSON');
  }

  return stripNullCharacters(parsed, keepValuesOf);
}
