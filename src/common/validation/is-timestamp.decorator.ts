import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate, isISO8601 } from 'class-validator';

// A time zone is required: a bare local time would be read in the server's zone.
const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/i;

// Times outside these years failed with a 500 further on: PostgreSQL has no year 0, and a time in
// year 10000 failed when the opportunity was written. So they are a 400 here.
const minYear = 1;
const maxYear = 9999;

const toDate = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string' || !withZone.test(value) || !isISO8601(value, { strict: true })) {
    return value;
  }

  const date = new Date(value);
  const year = date.getUTCFullYear();

  // Returning the string makes IsDate reject it with the same 400. Week and ordinal dates such as
  // 2026-W05-3 pass isISO8601 but do not parse as a Date.
  return Number.isNaN(year) || year < minYear || year > maxYear ? value : date;
};

/**
 * Accepts an ISO 8601 timestamp with a time zone (2026-01-31T09:00:00Z or …+01:00) in the years 1
 * to 9999 (UTC) and turns it into a Date. Anything else is a 400 that names the property.
 */
export function IsTimestamp(): PropertyDecorator {
  return applyDecorators(
    Transform(toDate),
    IsDate({
      message: ({ property }) =>
        `${property} must be an ISO 8601 timestamp with a time zone in the years 1 to 9999, e.g. 2026-01-31T09:00:00Z`,
    }),
  );
}
