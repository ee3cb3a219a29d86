import { buildMessage, ValidateBy } from 'class-validator';
import type { ValidationOptions } from 'class-validator';

const maxAttachments = 100;
const maxUrlLength = 2048;

function isEpochMillisValue(value: unknown): boolean {
  if (value === null || value === undefined) {
    return true;
  }

  if (typeof value === 'number') {
    return Number.isFinite(value);
  }

  return typeof value === 'string' && /^\d{1,16}$/.test(value);
}

function isAttachment(value: unknown): boolean {
  if (typeof value === 'string') {
    return value.length > 0 && value.length <= maxUrlLength;
  }

  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return false;
  }

  const { url, name } = value as { url?: unknown; name?: unknown };

  return (
    typeof url === 'string' &&
    url.length > 0 &&
    url.length <= maxUrlLength &&
    (name === undefined || name === null || typeof name === 'string')
  );
}

/** Checks for a time in milliseconds since the epoch, as a number or a digit string, or null. */
export function IsEpochMillis(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEpochMillis',
      validator: {
        validate: isEpochMillisValue,
        defaultMessage: buildMessage(
          (each) => `${each}$property must be milliseconds since the epoch or null`,
          options,
        ),
      },
    },
    options,
  );
}

/** Checks for a string or a number, because providers send error codes in either form. */
export function IsStringOrNumber(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStringOrNumber',
      validator: {
        validate: (value: unknown) =>
          value === null ||
          (typeof value === 'string' && value.length <= 256) ||
          (typeof value === 'number' && Number.isFinite(value)),
        defaultMessage: buildMessage(
          (each) => `${each}$property must be a string or a number`,
          options,
        ),
      },
    },
    options,
  );
}

/** Checks for a bounded array of attachments, each a URL string or an object with `url` and optional `name`. */
export function IsAttachmentList(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isAttachmentList',
      validator: {
        validate: (value: unknown) =>
          value === null ||
          (Array.isArray(value) && value.length <= maxAttachments && value.every(isAttachment)),
        defaultMessage: buildMessage(
          (each) =>
            `${each}$property must be an array of at most ${maxAttachments} URL strings or {url, name} objects`,
          options,
        ),
      },
    },
    options,
  );
}
