import { isEmail, ValidateBy } from 'class-validator';
import type { ValidationOptions } from 'class-validator';

// A UTF-16 surrogate without its pair. validator.js's isEmail passes the value to encodeURI, which
// throws URIError on one, so such input is rejected before isEmail is called.
const loneSurrogate = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Tells whether a value is an email address, without throwing on malformed UTF-16. */
export function isEmailAddress(value: unknown): value is string {
  return typeof value === 'string' && !loneSurrogate.test(value) && isEmail(value);
}

/** Like class-validator's IsEmail, but returns a validation error instead of throwing on lone surrogates. */
export function IsEmailAddress(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isEmailAddress',
      validator: {
        validate: isEmailAddress,
        defaultMessage: () => '$property must be an email',
      },
    },
    options,
  );
}
