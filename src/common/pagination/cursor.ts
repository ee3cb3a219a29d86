import { isUUID } from 'class-validator';

import { DomainError } from '../errors/domain-error';

/** A position in a list ordered by (createdAt DESC, id DESC): the last row of the previous page. */
export interface CursorPosition {
  createdAt: Date;
  id: string;
}

export class InvalidCursorError extends DomainError {
  readonly code = 'invalid_cursor';

  constructor() {
    super('cursor is invalid: pass the nextCursor value of a previous page unchanged');
  }
}

/**
 * Encodes a position as an opaque base64url string. Clients must treat it as opaque, so the format
 * can change without a new API version.
 */
export function encodeCursor(position: CursorPosition): string {
  const payload = JSON.stringify([position.createdAt.toISOString(), position.id]);

  return Buffer.from(payload, 'utf8').toString('base64url');
}

/** Decodes a cursor made by encodeCursor; throws InvalidCursorError for anything else. */
export function decodeCursor(cursor: string): CursorPosition {
  let payload: unknown;

  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }

  if (!Array.isArray(payload) || payload.length !== 2) {
    throw new InvalidCursorError();
  }

  const [createdAt, id] = payload as unknown[];

  if (typeof createdAt !== 'string' || typeof id !== 'string' || !isUUID(id)) {
    throw new InvalidCursorError();
  }

  const date = new Date(createdAt);

  // PostgreSQL has no year 0, so an edited cursor with one would fail in the query.
  if (
    Number.isNaN(date.getTime()) ||
    date.getUTCFullYear() < 1 ||
    date.getUTCFullYear() > 9999 ||
    date.toISOString() !== createdAt
  ) {
    throw new InvalidCursorError();
  }

  return { createdAt: date, id: id.toLowerCase() };
}
