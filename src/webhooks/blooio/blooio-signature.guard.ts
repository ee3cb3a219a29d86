import {
  Inject,
  Injectable,
  UnauthorizedException,
  UnsupportedMediaTypeException,
} from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

import { parseRawJson } from '../../common/http/parse-raw-json';
import { LogSampler } from '../../common/logging/log-sampler';
import { toPossibleE164 } from '../../common/phone/phone-number';
import { APP_CONFIG } from '../../config/app-config';
import type { AppConfig } from '../../config/app-config';
import { isTimestampFresh, parseSignatureHeader } from './blooio-signature';
import { BlooioSigningKeys } from './blooio-signing-keys';
import type { WebhookRejectionReason } from './webhook-tenant';
import { addRequestLogFields } from '../../logging/request-log-fields';

/** The one message of every signature failure, so a response reveals nothing about our tenants. */
export const invalidSignatureMessage = 'Invalid webhook signature';

const warningIntervalMs = 60_000;
// U+0000 stays in the message id so that validation rejects it: removed, two ids would become one,
// and the second message would be treated as a duplicate and lost.
const keepNullCharactersIn: ReadonlySet<string> = new Set(['message_id']);

function signatureHeaderOf(request: FastifyRequest): string | undefined {
  const value = request.headers['x-blooio-signature'] ?? request.headers['blooio-signature'];

  return Array.isArray(value) ? value.join(',') : value;
}

function receivingNumberOf(payload: unknown): string | undefined {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    return undefined;
  }

  const internalId = (payload as { internal_id?: unknown }).internal_id;

  return typeof internalId === 'string' ? toPossibleE164(internalId) : undefined;
}

/**
 * Authenticates a Blooio webhook from the raw body bytes, before anything else reads the body.
 *
 * Order, cheapest first: a JSON body (415), the signature header's shape and timestamp, one parse of
 * the body to read the untrusted receiving number (`internal_id`), then the tenant's secrets (cached)
 * and the HMAC. Every failure is the same 401. The parsed body is kept on the request, so the body
 * is parsed once. A suspended tenant's deliveries get that 401 as well: we take no traffic for it,
 * and the response must not differ from that for an unknown number.
 */
@Injectable()
export class BlooioSignatureGuard implements CanActivate {
  private readonly warnings = new LogSampler(warningIntervalMs);

  constructor(
    private readonly signingKeys: BlooioSigningKeys,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BlooioSignatureGuard.name);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const rawBody = request.body;

    if (!Buffer.isBuffer(rawBody)) {
      throw new UnsupportedMediaTypeException('Content-Type must be application/json');
    }

    const header = parseSignatureHeader(signatureHeaderOf(request));

    if (!header) {
      return this.reject('malformed_header');
    }

    if (!isTimestampFresh(header.timestamp, Date.now(), this.config.webhooks.toleranceSeconds)) {
      return this.reject('stale_timestamp');
    }

    const payload = parseRawJson(rawBody, keepNullCharactersIn);
    const receivingNumber = receivingNumberOf(payload);

    if (!receivingNumber) {
      return this.reject('missing_receiving_number');
    }

    const result = await this.signingKeys.authenticate(receivingNumber, header, rawBody);

    if (!result.tenant) {
      return this.reject(result.reason, result.tenantId);
    }

    const { tenantId, defaultRegion } = result.tenant;

    request.tenant = { tenantId, scopes: [] };
    request.blooioWebhook = { tenantId, defaultRegion, receivingNumber, payload };
    addRequestLogFields({ tenantId });

    return true;
  }

  private reject(reason: WebhookRejectionReason, tenantId?: string): never {
    // A known tenant failing verification usually means a misconfigured secret: worth a warning,
    // sampled so a flood of forgeries writes one line a minute per tenant.
    const skipped = tenantId ? this.warnings.sample(`${tenantId}:${reason}`) : undefined;

    if (skipped !== undefined) {
      this.logger.warn({ tenantId, reason, skipped }, 'Blooio webhook rejected for a known tenant');
    } else {
      this.logger.debug({ reason, tenantId }, 'Blooio webhook rejected');
    }

    throw new UnauthorizedException(invalidSignatureMessage);
  }
}
