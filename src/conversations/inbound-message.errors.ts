import { DomainError } from '../common/errors/domain-error';

/** Rejects a received message because too many already wait for the database. The sender retries. */
export class IngestOverloadedError extends DomainError {
  readonly code = 'ingest_overloaded';

  constructor() {
    super('Too many messages are waiting to be stored; retry later');
  }
}
