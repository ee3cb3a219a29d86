import { HttpStatus } from '@nestjs/common';

/**
 * The HTTP status of each domain error code. A code missing here is returned as a 500, so a new
 * DomainError subclass needs its code added here.
 */
export const DOMAIN_ERROR_STATUS: Readonly<Record<string, HttpStatus>> = {
  invalid_cursor: HttpStatus.BAD_REQUEST,
  invalid_phone: HttpStatus.BAD_REQUEST,
  invalid_time_range: HttpStatus.BAD_REQUEST,
  conversation_not_found: HttpStatus.NOT_FOUND,
  opportunity_not_found: HttpStatus.NOT_FOUND,
  invalid_status_transition: HttpStatus.CONFLICT,
  status_changed_concurrently: HttpStatus.CONFLICT,
  ingest_overloaded: HttpStatus.SERVICE_UNAVAILABLE,
};
