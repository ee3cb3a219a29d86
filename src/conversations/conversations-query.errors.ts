import { DomainError } from '../common/errors/domain-error';

export class ConversationNotFoundError extends DomainError {
  readonly code = 'conversation_not_found';

  constructor(id: string) {
    super(`Conversation ${id} not found`);
  }
}

export class InvalidPhoneFilterError extends DomainError {
  readonly code = 'invalid_phone';

  constructor() {
    super('phone is not a possible phone number: use E.164, e.g. +14155550100');
  }
}

export class InvalidTimeRangeError extends DomainError {
  readonly code = 'invalid_time_range';

  constructor() {
    super('createdFrom must be earlier than createdTo');
  }
}
