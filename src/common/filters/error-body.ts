import { STATUS_CODES } from 'node:http';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string | string[];
  /** The domain error code, when a DomainError caused the response. */
  code?: string;
  requestId?: string;
  errorId?: string;
}

export function errorBody(
  statusCode: number,
  message: string | string[],
  ids: { code?: string; requestId?: string; errorId?: string } = {},
): ErrorBody {
  return {
    statusCode,
    error: STATUS_CODES[statusCode] ?? 'Error',
    message,
    ...ids,
  };
}
