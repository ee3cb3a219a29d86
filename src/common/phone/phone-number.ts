import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';
import { LRUCache } from 'lru-cache';

import { isEmailAddress } from '../validation/email-address';

/** A contact's address: an E.164 number, or an email address (iMessage only). */
export type ContactAddress = { kind: 'phone'; value: string } | { kind: 'email'; value: string };

const maxInputLength = 64;
const maxEmailLength = 254;

// Parsing with the full metadata is a few per cent of an inbound message's CPU, and the same
// contacts and receiving numbers come back all day. Invalid input is cached too (as ''), and the
// bound keeps a flood of distinct junk from growing the cache.
const validNumbers = new LRUCache<string, string>({ max: 10_000 });
const possibleNumbers = new LRUCache<string, string>({ max: 1_000 });

function cached(
  cache: LRUCache<string, string>,
  key: string,
  parse: () => string | undefined,
): string | undefined {
  let result = cache.get(key);

  if (result === undefined) {
    result = parse() ?? '';
    cache.set(key, result);
  }

  return result === '' ? undefined : result;
}

/**
 * Returns the E.164 form of a valid phone number, reading national formats with the given region
 * (ISO 3166 alpha-2, e.g. "US"), or undefined. Uses the full metadata so unassigned ranges fail.
 */
export function toE164(raw: string, region: string): string | undefined {
  if (raw.length > maxInputLength) {
    return undefined;
  }

  const country = region.trim().toUpperCase();

  return cached(validNumbers, `${country} ${raw}`, () => {
    const number = parsePhoneNumberFromString(raw, country as CountryCode);

    return number?.isValid() ? number.number : undefined;
  });
}

/**
 * Returns the E.164 form of an international number of plausible length, or undefined. For our own
 * receiving numbers, which are matched exactly against stored E.164 values and need no region.
 */
export function toPossibleE164(raw: string): string | undefined {
  const trimmed = raw.trim();

  if (trimmed.length === 0 || trimmed.length > maxInputLength) {
    return undefined;
  }

  const international = trimmed.startsWith('+') ? trimmed : `+${trimmed}`;

  return cached(possibleNumbers, international, () => {
    const number = parsePhoneNumberFromString(international);

    return number?.isPossible() ? number.number : undefined;
  });
}

/** Reads a contact key as an email (when it contains "@") or a phone number; undefined if neither is valid. */
export function toContactAddress(raw: string, region: string): ContactAddress | undefined {
  const trimmed = raw.trim();

  if (trimmed.includes('@')) {
    const email = trimmed.toLowerCase();

    return email.length <= maxEmailLength && isEmailAddress(email)
      ? { kind: 'email', value: email }
      : undefined;
  }

  const phone = toE164(trimmed, region);

  return phone ? { kind: 'phone', value: phone } : undefined;
}
