import { IsIn, IsOptional, IsUUID } from 'class-validator';

import { PageQuery } from '../../common/pagination/page-query.dto';
import { OpportunityStatus } from '../../generated/prisma/enums';

const statuses = Object.values(OpportunityStatus);

export class ListOpportunitiesQuery extends PageQuery {
  @IsOptional()
  @IsUUID('all', { message: 'pipelineId must be a UUID' })
  pipelineId?: string;

  @IsOptional()
  @IsIn(statuses, { message: `status must be one of: ${statuses.join(', ')}` })
  status?: OpportunityStatus;
}
