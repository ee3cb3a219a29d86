import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsDate, isISO8601 } from 'class-validator';

// A time zone is required: a bare local time would be read in the server's zone.
const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/i;

const toDate = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && withZone.test(value) && isISO8601(value, { strict: true })
    ? new Date(value)
    : value;

/**
 * Accepts an ISO 8601 timestamp with a time zone (2026-01-31T09:00:00Z or …+01:00) and turns it into
 * a Date. Anything else is a 400 that names the property.
 */
export function IsTimestamp(): PropertyDecorator {
  return applyDecorators(
    Transform(toDate),
    IsDate({
      message: ({ property }) =>
        `${property} must be an ISO 8601 timestamp with a time zone, e.g. 2026-01-31T09:00:00Z`,
    }),
  );
}
