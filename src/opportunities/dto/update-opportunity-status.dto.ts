import { IsDefined, IsIn, ValidateBy, ValidateIf } from 'class-validator';

import { IsTimestamp } from '../../common/validation/is-timestamp.decorator';
import { OpportunityStatus } from '../../generated/prisma/enums';

const statuses = Object.values(OpportunityStatus);

// Rejects an appointment time sent with any status other than booked, so it is never silently dropped.
function IsOnlyForBooked(): PropertyDecorator {
  return ValidateBy({
    name: 'isOnlyForBooked',
    validator: {
      validate: (_value, args) => (args?.object as UpdateOpportunityStatusDto).status === 'booked',
      defaultMessage: () => 'appointmentAt is only allowed when status is booked',
    },
  });
}

export class UpdateOpportunityStatusDto {
  @IsIn(statuses, { message: `status must be one of: ${statuses.join(', ')}` })
  status: OpportunityStatus;

  @ValidateIf(
    (dto: UpdateOpportunityStatusDto) => dto.status === 'booked' || dto.appointmentAt !== undefined,
  )
  @IsDefined({ message: 'appointmentAt is required when status is booked' })
  @IsOnlyForBooked()
  @IsTimestamp()
  appointmentAt?: Date;
}
