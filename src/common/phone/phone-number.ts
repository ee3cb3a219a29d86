import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { CountryCode } from 'libphonenumber-js/max';

import { isEmailAddress } from '../validation/email-address';

/** A contact's address: an E.164 number, or an email address (iMessage only). */
export type ContactAddress = { kind: 'phone'; value: string } | { kind: 'email'; value: string };

const maxInputLength = 64;
const maxEmailLength = 254;

/**
 * Returns the E.164 form of a valid phone number, reading national formats with the given region
 * (ISO 3166 alpha-2, e.g. "US"), or undefined. Uses the full metadata so unassigned ranges fail.
 */
export function toE164(raw: string, region: string): string | undefined {
  if (raw.length > maxInputLength) {
    return undefined;
  }

  const parsed = parsePhoneNumberFromString(raw, region.trim().toUpperCase() as CountryCode);

  return parsed?.isValid() ? parsed.number : undefined;
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
  const parsed = parsePhoneNumberFromString(international);

  return parsed?.isPossible() ? parsed.number : undefined;
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
