import { Module } from '@nestjs/common';

import { ApiKeyGuard } from './api-key.guard';
import { ApiKeyUsage } from './api-key-usage';

@Module({
  providers: [ApiKeyGuard, ApiKeyUsage],
  exports: [ApiKeyGuard, ApiKeyUsage],
})
export class TenantsModule {}
