import { DomainError } from '../common/errors/domain-error';

/** Too many received messages already wait for the database; the sender should retry later. */
export class IngestOverloadedError extends DomainError {
  readonly code = 'ingest_overloaded';

  constructor() {
    super('Too many messages are waiting to be stored; retry later');
  }
}
