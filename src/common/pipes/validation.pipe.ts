import { ValidationPipe } from '@nestjs/common';

/** Strict validation for our own API: unknown properties are a 400, payloads become typed DTOs. */
export function validationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
  });
}
