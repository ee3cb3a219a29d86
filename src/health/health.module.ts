import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { AlertsModule } from '../alerts/alerts.module';
import { DatabaseModule } from '../database/database.module';
import { DependencyHealth } from './dependency-health';
import { HealthController } from './health.controller';
import { ShutdownState } from './shutdown-state';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), DatabaseModule, AlertsModule],
  controllers: [HealthController],
  providers: [DependencyHealth, ShutdownState],
  exports: [ShutdownState],
})
export class HealthModule {}
