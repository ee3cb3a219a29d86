import { isSupportedCountry } from 'libphonenumber-js';

import type { ApiScope } from '../common/auth/require-scopes.decorator';
import { InvalidAdminInputError } from './admin.errors';

// Validation of operator input. Each function returns the value in its stored form or throws
// InvalidAdminInputError naming the option and the rule; no message repeats a secret.

const controlCharacters = /\p{Cc}/u;
const apiScopes: readonly ApiScope[] = ['read', 'write'];

export const MAX_SEND_CAP = 1_000_000;
export const MAX_REPLY_CAP = 1_000;
export const MAX_ROTATION_WINDOW_MINUTES = 7 * 24 * 60;

// Loop-breaker bounds. The minimums are the CHECK constraints of the tenants table. The maximums keep
// the spend guard's look-back short, because it reads max(fast turns, repeat count) + 1 messages.
export const LOOP_MIN_REPLY_SECONDS = { min: 0, max: 600 };
export const LOOP_FAST_TURNS = { min: 1, max: 50 };
export const LOOP_REPEAT_COUNT = { min: 2, max: 50 };

export function validateName(option: string, value: string): string {
  const name = value.trim();

  if (name.length === 0 || name.length > 200 || controlCharacters.test(name)) {
    throw new InvalidAdminInputError(
      `${option} must be 1 to 200 characters without control characters`,
    );
  }

  return name;
}

export function validateSlug(value: string): string {
  if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(value)) {
    throw new InvalidAdminInputError(
      `--slug "${value}" is invalid: use 1 to 63 lowercase letters, digits and inner hyphens`,
    );
  }

  return value;
}

export function validateTimezone(value: string): string {
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    throw new InvalidAdminInputError(
      `--timezone "${value}" is not an IANA time zone, e.g. America/New_York`,
    );
  }
}

export function validateRegion(value: string): string {
  const region = value.toUpperCase();

  if (!isSupportedCountry(region)) {
    throw new InvalidAdminInputError(
      `--region "${value}" is not a supported ISO 3166 country code, e.g. US`,
    );
  }

  return region;
}

export function validateCount(option: string, value: string, max: number, min = 0): number {
  const count = /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;

  if (!Number.isInteger(count) || count < min || count > max) {
    throw new InvalidAdminInputError(`${option} must be an integer from ${min} to ${max}`);
  }

  return count;
}

export function validateScopes(value: string): ApiScope[] {
  const scopes = [...new Set(value.split(',').map((scope) => scope.trim()))];
  const unknown = scopes.filter((scope) => !apiScopes.includes(scope as ApiScope));

  if (scopes.length === 0 || unknown.length > 0) {
    throw new InvalidAdminInputError(
      `--scopes must list ${apiScopes.join(' and/or ')}, comma-separated; unknown: ${unknown.join(', ')}`,
    );
  }

  return scopes as ApiScope[];
}

/** Checks a Blooio signing secret's shape; the message never contains the value. */
export function validateSigningSecret(value: string): string {
  const secret = value.trim();

  if (!/^[\x21-\x7e]{16,512}$/.test(secret)) {
    throw new InvalidAdminInputError(
      'The signing secret must be 16 to 512 printable ASCII characters without spaces',
    );
  }

  return secret;
}
