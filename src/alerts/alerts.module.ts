import { Module } from '@nestjs/common';

import { AlertService } from './alert.service';
import { TelegramClient } from './telegram-client';

@Module({
  providers: [AlertService, TelegramClient],
  exports: [AlertService],
})
export class AlertsModule {}
