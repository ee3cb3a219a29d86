import { plainToInstance } from 'class-transformer';
import type { ClassConstructor } from 'class-transformer';
import { validateSync } from 'class-validator';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Validates environment variables against a class with class-validator rules and returns the
 * instance with its defaults; throws ConfigError naming each invalid variable. Empty values count
 * as unset.
 */
export function validateVariables<T extends object>(
  schema: ClassConstructor<T>,
  source: NodeJS.ProcessEnv,
): T {
  const present = Object.fromEntries(
    Object.entries(source).filter(([, value]) => value !== undefined && value !== ''),
  );
  const environment = plainToInstance(schema, present, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: false, skipMissingProperties: false });

  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const reasons = Object.values(error.constraints ?? {}).join('; ');

      return `  ${error.property}: ${reasons}`;
    });

    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }

  return environment;
}
