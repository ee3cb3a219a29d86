import { randomUUID } from 'node:crypto';

import {
  Catch,
  HttpException,
  HttpStatus,
  Optional,
  ServiceUnavailableException,
} from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

import { AlertService } from '../../alerts/alert.service';
import { DomainError } from '../errors/domain-error';
import { LogSampler } from '../logging/log-sampler';
import { requestIdOf } from '../http/request-id';
import { DOMAIN_ERROR_STATUS } from './domain-error-status';
import { errorBody } from './error-body';
import type { ErrorBody } from './error-body';
import { isDatabaseUnavailable } from '../../database/is-database-unavailable';

/** Retry-After of a 503 that does not set its own, in seconds. */
const unavailableRetryAfterSeconds = 5;

/** Minimum time between two logged stacks of a database outage. */
const outageLogIntervalMs = 10_000;

function safeHttpMessage(exception: HttpException): string | string[] {
  const response = exception.getResponse();

  if (typeof response === 'string') {
    return response;
  }

  const message = (response as { message?: unknown }).message;

  if (
    typeof message === 'string' ||
    (Array.isArray(message) && message.every((m) => typeof m === 'string'))
  ) {
    return message;
  }

  return exception.message;
}

/**
 * Turns every error into a JSON body without internals. Client errors and ServiceUnavailableException
 * keep their status and message, and domain errors get the status that DOMAIN_ERROR_STATUS maps
 * their code to. Anything else becomes a 500 (or 503 when PostgreSQL is unreachable) with an error
 * id that the log line carries too, next to the stack.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly outageLogs = new LogSampler(outageLogIntervalMs);

  constructor(
    private readonly logger: PinoLogger,
    @Optional() private readonly alerts?: AlertService,
  ) {
    this.logger.setContext(AllExceptionsFilter.name);
  }

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const requestId = requestIdOf(request);
    const body = this.toBody(exception, requestId);

    if (reply.sent) {
      return;
    }

    if (body.statusCode === 429 || body.statusCode === 503) {
      void reply.header('cache-control', 'no-store');
    }

    // A 503 thrown on purpose may carry its own Retry-After; the others get a short default.
    if (body.statusCode === 503 && !reply.hasHeader('retry-after')) {
      void reply.header('retry-after', String(unavailableRetryAfterSeconds));
    }

    void reply.status(body.statusCode).send(body);
  }

  private toBody(exception: unknown, requestId?: string): ErrorBody {
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      this.logger.debug({ status: exception.getStatus(), requestId }, 'Request rejected');

      return errorBody(exception.getStatus(), safeHttpMessage(exception), { requestId });
    }

    // Thrown on purpose with a message for the client, as by a fail-closed rate limit while Redis
    // is down. The outage itself is logged once where it is detected. Headers set before the throw,
    // such as Retry-After, stay on the reply.
    if (exception instanceof ServiceUnavailableException) {
      this.logger.debug({ status: exception.getStatus(), requestId }, 'Request rejected');

      return errorBody(HttpStatus.SERVICE_UNAVAILABLE, safeHttpMessage(exception), { requestId });
    }

    const domainStatus =
      exception instanceof DomainError ? DOMAIN_ERROR_STATUS[exception.code] : undefined;

    if (exception instanceof DomainError && domainStatus !== undefined) {
      this.logger.debug(
        { status: domainStatus, code: exception.code, requestId },
        'Request rejected',
      );

      return errorBody(domainStatus, exception.message, { code: exception.code, requestId });
    }

    const errorId = randomUUID();

    if (isDatabaseUnavailable(exception)) {
      // Every request fails the same way during an outage, so the stack is logged once per interval.
      const skipped = this.outageLogs.sample('database');

      if (skipped !== undefined) {
        this.logger.error({ err: exception, errorId, requestId, skipped }, 'Database unavailable');
      }

      this.alert('Database unavailable while serving a request (HTTP 503)', errorId);

      return errorBody(
        HttpStatus.SERVICE_UNAVAILABLE,
        'Service temporarily unavailable, retry later',
        {
          requestId,
          errorId,
        },
      );
    }

    this.logger.error({ err: exception, errorId, requestId }, 'Unexpected error');
    this.alert(
      `Unexpected error (HTTP 500): ${exception instanceof Error ? exception.name : typeof exception}`,
      errorId,
    );

    return errorBody(HttpStatus.INTERNAL_SERVER_ERROR, 'Internal server error', {
      requestId,
      errorId,
    });
  }

  // The fingerprint leaves out the error id, so a storm of one error is coalesced into one alert.
  private alert(message: string, errorId: string): void {
    this.alerts?.raise({ kind: 'unexpected_error', message, details: { errorId } });
  }
}
