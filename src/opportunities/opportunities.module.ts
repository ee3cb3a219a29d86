import { Module } from '@nestjs/common';

import { OpportunitiesRepository } from './opportunities.repository';
import { OpportunitiesService } from './opportunities.service';

@Module({
  providers: [OpportunitiesRepository, OpportunitiesService],
  exports: [OpportunitiesService],
})
export class OpportunitiesModule {}
