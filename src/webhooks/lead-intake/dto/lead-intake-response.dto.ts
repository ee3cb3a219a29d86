import { ApiProperty } from '@nestjs/swagger';

import { OpportunityStatus } from '../../../generated/prisma/enums';

/** The result of a lead intake; a replayed request returns the first result unchanged. */
export class LeadIntakeResponseDto {
  @ApiProperty({ format: 'uuid' })
  contactId: string;

  @ApiProperty({ format: 'uuid' })
  opportunityId: string;

  @ApiProperty({ format: 'uuid' })
  pipelineId: string;

  @ApiProperty({ enum: OpportunityStatus, example: 'new' })
  opportunityStatus: OpportunityStatus;

  @ApiProperty({ description: 'False when the lead matched an existing contact.' })
  contactCreated: boolean;

  @ApiProperty({ description: 'False when the contact already had an open opportunity.' })
  opportunityCreated: boolean;
}
