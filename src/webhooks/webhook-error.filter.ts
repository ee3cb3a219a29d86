import { Catch, HttpStatus } from '@nestjs/common';
import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

import { errorBody } from '../common/filters/error-body';
import { requestIdOf } from '../common/http/request-id';
import { WebhookError } from './webhooks.errors';
import type { WebhookErrorCode } from './webhooks.errors';

const statusByCode: Record<WebhookErrorCode, HttpStatus> = {
  invalid_payload: HttpStatus.BAD_REQUEST,
  invalid_contact: HttpStatus.BAD_REQUEST,
  missing_contact: HttpStatus.BAD_REQUEST,
  invalid_idempotency_key: HttpStatus.BAD_REQUEST,
  idempotency_key_reused: HttpStatus.UNPROCESSABLE_ENTITY,
  contact_conflict: HttpStatus.CONFLICT,
  no_default_pipeline: HttpStatus.CONFLICT,
};

/** Maps webhook and lead-intake errors to their HTTP status and the standard error body. */
@Catch(WebhookError)
export class WebhookErrorFilter implements ExceptionFilter {
  constructor(private readonly logger: PinoLogger) {
    this.logger.setContext(WebhookErrorFilter.name);
  }

  catch(exception: WebhookError, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const requestId = requestIdOf(http.getRequest<FastifyRequest>());
    const status = statusByCode[exception.code];

    this.logger.debug({ code: exception.code, status, requestId }, 'Webhook rejected');

    if (!reply.sent) {
      void reply.status(status).send(errorBody(status, exception.details, { requestId }));
    }
  }
}
