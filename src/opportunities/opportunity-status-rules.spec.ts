import type { OpportunityStatus } from '../generated/prisma/enums';
import { canTransition, describeRejectedTransition } from './opportunity-status-rules';

const statuses: OpportunityStatus[] = ['new', 'contacted', 'qualified', 'booked', 'won', 'lost'];
const allowed = new Set([
  'new>contacted',
  'contacted>qualified',
  'qualified>booked',
  'booked>won',
  'new>lost',
  'contacted>lost',
  'qualified>lost',
  'booked>lost',
]);

describe('canTransition', () => {
  const pairs = statuses.flatMap((from) => statuses.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s follows the pipeline', (from, to) => {
    expect(canTransition(from, to)).toBe(allowed.has(`${from}>${to}`));
  });
});

describe('describeRejectedTransition', () => {
  it('names the next step for a skipped step', () => {
    expect(describeRejectedTransition('new', 'booked')).toBe(
      'Cannot move an opportunity from new to booked: the next status is contacted (or lost)',
    );
  });

  it('says a closed opportunity is final', () => {
    expect(describeRejectedTransition('won', 'lost')).toBe(
      'Opportunity is already won: a closed opportunity cannot change status',
    );
  });

  it('says when the status is unchanged', () => {
    expect(describeRejectedTransition('qualified', 'qualified')).toBe(
      'Opportunity is already qualified',
    );
  });

  it('rejects going back', () => {
    expect(describeRejectedTransition('booked', 'contacted')).toBe(
      'Cannot move an opportunity from booked to contacted: the next status is won (or lost)',
    );
  });
});
