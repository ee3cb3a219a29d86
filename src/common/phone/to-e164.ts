import { isSupportedCountry, parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CountryCode } from 'libphonenumber-js';

/**
 * Normalises a phone number to E.164 with libphonenumber-js, reading national numbers in the given
 * region (ISO 3166 alpha-2). Returns undefined unless the number is possible, meaning it has a
 * plausible length for its country. isValid() is not used because it also rejects numbers in
 * unassigned ranges, such as the fictional 555 numbers used in tests and demos.
 */
export function toE164(input: string, region: string): string | undefined {
  const defaultCountry: CountryCode | undefined = isSupportedCountry(region) ? region : undefined;
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);

  return parsed?.isPossible() ? parsed.number : undefined;
}
