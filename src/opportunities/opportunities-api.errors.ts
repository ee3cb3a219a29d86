import { DomainError } from '../common/errors/domain-error';
import type { OpportunityStatus } from '../generated/prisma/enums';
import { describeRejectedTransition } from './opportunity-status-rules';

export class OpportunityNotFoundError extends DomainError {
  readonly code = 'opportunity_not_found';

  constructor(id: string) {
    super(`Opportunity ${id} not found`);
  }
}

export class InvalidStatusTransitionError extends DomainError {
  readonly code = 'invalid_status_transition';

  constructor(from: OpportunityStatus, to: OpportunityStatus) {
    super(describeRejectedTransition(from, to));
  }
}

export class StatusChangedConcurrentlyError extends DomainError {
  readonly code = 'status_changed_concurrently';

  constructor(expected: OpportunityStatus) {
    super(
      `Opportunity status changed from ${expected} while this request ran: reload it and retry`,
    );
  }
}
