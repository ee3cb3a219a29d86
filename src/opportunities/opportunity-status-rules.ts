import type { OpportunityStatus } from '../generated/prisma/enums';

// The pipeline moves one step at a time; "lost" closes an opportunity from any open step.
const nextStep: Record<OpportunityStatus, OpportunityStatus | null> = {
  new: 'contacted',
  contacted: 'qualified',
  qualified: 'booked',
  booked: 'won',
  won: null,
  lost: null,
};

export function isClosed(status: OpportunityStatus): boolean {
  return status === 'won' || status === 'lost';
}

export function canTransition(from: OpportunityStatus, to: OpportunityStatus): boolean {
  if (isClosed(from)) {
    return false;
  }

  return to === 'lost' || nextStep[from] === to;
}

/** Explains why `from → to` is not allowed and what is; call only when canTransition is false. */
export function describeRejectedTransition(from: OpportunityStatus, to: OpportunityStatus): string {
  if (isClosed(from)) {
    return `Opportunity is already ${from}: a closed opportunity cannot change status`;
  }

  if (from === to) {
    return `Opportunity is already ${from}`;
  }

  return `Cannot move an opportunity from ${from} to ${to}: the next status is ${nextStep[from]} (or lost)`;
}
