import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import pino from 'pino';

import { AdminModule } from '../admin/admin.module';
import { CryptoModule } from '../common/crypto/crypto.module';
import type { AppConfig } from '../config/app-config';
import { ConfigModule } from '../config/config.module';
import { DatabaseModule } from '../database/database.module';
import { LoggingModule } from '../logging/logging.module';
import { CLI_DEFAULT_ACTOR, CLI_IO } from './cli-io';
import type { CliIo } from './cli-io';
import {
  KeyCommand,
  KeyIssueCommand,
  KeyListCommand,
  KeyRevokeCommand,
} from './commands/key.command';
import {
  ConversationCommand,
  ConversationPausedCommand,
  ConversationResumeCommand,
} from './commands/conversation.command';
import { TenantLoopBreakerCommand } from './commands/loop-breaker.command';
import { NumberAddCommand, NumberCommand } from './commands/number.command';
import { SecretCommand, SecretRotateCommand, SecretSetCommand } from './commands/secret.command';
import {
  TenantCapsCommand,
  TenantCommand,
  TenantCreateCommand,
  TenantListCommand,
  TenantReactivateCommand,
  TenantSuspendCommand,
} from './commands/tenant.command';

export interface CliOptions {
  io: CliIo;
  /** The operator recorded when --actor is not given, normally $USER. */
  defaultActor?: string;
}

const commands = [
  ConversationCommand,
  ConversationPausedCommand,
  ConversationResumeCommand,
  KeyCommand,
  KeyIssueCommand,
  KeyListCommand,
  KeyRevokeCommand,
  NumberCommand,
  NumberAddCommand,
  SecretCommand,
  SecretRotateCommand,
  SecretSetCommand,
  TenantCommand,
  TenantCapsCommand,
  TenantCreateCommand,
  TenantListCommand,
  TenantLoopBreakerCommand,
  TenantReactivateCommand,
  TenantSuspendCommand,
];

/**
 * The administration CLI's root module: the service's configuration, database and crypto modules
 * without HTTP, Redis or health. Logs go to stderr as the service's JSON lines, so stdout carries only
 * command output.
 */
@Module({})
export class CliModule {
  static forRoot(config: AppConfig, options: CliOptions): DynamicModule {
    return {
      module: CliModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(pino.destination({ dest: 2, sync: true })),
        DatabaseModule,
        CryptoModule,
        AdminModule,
      ],
      providers: [
        { provide: CLI_IO, useValue: options.io },
        { provide: CLI_DEFAULT_ACTOR, useValue: options.defaultActor },
        ...commands,
      ],
    };
  }
}
