import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';

import { validationPipe } from './common/pipes/validation.pipe';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter';
import { AlertsModule } from './alerts/alerts.module';
import type { AppConfig } from './config/app-config';
import { CryptoModule } from './common/crypto/crypto.module';
import { ConfigModule } from './config/config.module';
import { ConversationsApiModule } from './conversations/conversations-api.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { OpportunitiesApiModule } from './opportunities/opportunities-api.module';
import { RedisModule } from './redis/redis.module';
import { RepliesModule } from './replies/replies.module';
import { RetentionModule } from './retention/retention.module';
import { ThrottlingModule } from './common/throttling/throttling.module';
import { TenantsModule } from './tenants/tenants.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/** The root module. Feature modules are listed in `features` so a new concern is one import line. */
@Module({})
export class AppModule {
  static forRoot(
    config: AppConfig,
    options: { logDestination?: DestinationStream } = {},
  ): DynamicModule {
    const infrastructure = [
      ConfigModule.forRoot(config),
      LoggingModule.forRoot(options.logDestination),
      DatabaseModule,
      RedisModule,
      CryptoModule,
      // Listed before the features so its global guard runs before any guard they register.
      ThrottlingModule,
    ];
    const features = [
      HealthModule,
      TenantsModule,
      WebhooksModule,
      ConversationsApiModule,
      OpportunitiesApiModule,
      AlertsModule,
      RepliesModule,
      RetentionModule,
    ];

    return {
      module: AppModule,
      imports: [...infrastructure, ...features],
      providers: [
        { provide: APP_PIPE, useFactory: validationPipe },
        { provide: APP_FILTER, useClass: AllExceptionsFilter },
      ],
    };
  }
}
