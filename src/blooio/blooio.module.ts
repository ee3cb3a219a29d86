import { Module } from '@nestjs/common';

import { BlooioClient } from './blooio-client';

@Module({
  providers: [BlooioClient],
  exports: [BlooioClient],
})
export class BlooioModule {}
