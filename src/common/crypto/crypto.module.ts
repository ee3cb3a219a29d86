import { Global, Module } from '@nestjs/common';

import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { ApiKeyHasher } from './api-key';
import { SecretBox } from './secret-box';

function requireKey(config: AppConfig): Buffer {
  if (!config.encryptionKey) {
    throw new Error('APP_ENCRYPTION_KEY is missing: set it to 32 random bytes in base64');
  }

  return config.encryptionKey;
}

/** Provides the secret box and the API-key hasher, both keyed from APP_ENCRYPTION_KEY. */
@Global()
@Module({
  providers: [
    {
      provide: SecretBox,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new SecretBox(requireKey(config)),
    },
    {
      provide: ApiKeyHasher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new ApiKeyHasher(requireKey(config)),
    },
  ],
  exports: [SecretBox, ApiKeyHasher],
})
export class CryptoModule {}
