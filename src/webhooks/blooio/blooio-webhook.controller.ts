import { Controller, HttpCode, HttpStatus, Post, UseFilters, UseGuards } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiPayloadTooLargeResponse,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnsupportedMediaTypeResponse,
} from '@nestjs/swagger';

import { ErrorResponseDto } from '../../openapi/error-response.dto';
import { WebhookErrorFilter } from '../webhook-error.filter';
import { BlooioSignatureGuard } from './blooio-signature.guard';
import { BlooioWebhookService } from './blooio-webhook.service';
import { BlooioWebhookResponseDto } from './dto/blooio-webhook-response.dto';
import { BlooioWebhookDto } from './dto/blooio-webhook.dto';
import { VerifiedWebhook } from './verified-webhook';
import type { VerifiedBlooioWebhook } from './verified-webhook';

@ApiTags('webhooks')
@Controller('webhooks')
@UseFilters(WebhookErrorFilter)
export class BlooioWebhookController {
  constructor(private readonly webhooks: BlooioWebhookService) {}

  // blooio-inbound is the path of the previous server, kept so Blooio's configuration need not change.
  @Post(['blooio', 'blooio-inbound'])
  @HttpCode(HttpStatus.OK)
  @RouteConfig({ rawJsonBody: true })
  @UseGuards(BlooioSignatureGuard)
  @ApiOperation({
    summary: 'Receive a Blooio webhook (message.received and delivery statuses)',
    description:
      'Signed by Blooio: HMAC-SHA256 over "<t>.<raw body>" with the tenant\'s whsec_ secret. ' +
      'The tenant is found from internal_id. Each (message_id, event) is processed once.',
  })
  @ApiHeader({
    name: 'X-Blooio-Signature',
    required: true,
    description: 't=<unix seconds>,v1=<hex HMAC-SHA256>[,v1=…]; Blooio-Signature is accepted too.',
  })
  @ApiBody({ type: BlooioWebhookDto })
  @ApiOkResponse({ type: BlooioWebhookResponseDto, description: 'Delivery accepted' })
  @ApiBadRequestResponse({
    type: ErrorResponseDto,
    description: 'Malformed JSON or invalid fields',
  })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto, description: 'Any signature failure' })
  @ApiPayloadTooLargeResponse({ type: ErrorResponseDto, description: 'Body over 256 KiB' })
  @ApiUnsupportedMediaTypeResponse({ type: ErrorResponseDto, description: 'Body is not JSON' })
  receive(@VerifiedWebhook() webhook: VerifiedBlooioWebhook): Promise<BlooioWebhookResponseDto> {
    return this.webhooks.handle(webhook);
  }
}
