import { Global, Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';

import { APP_CONFIG } from './app-config';
import type { AppConfig } from './app-config';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }],
      exports: [APP_CONFIG],
    };
  }
}
