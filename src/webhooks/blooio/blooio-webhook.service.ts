import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { BlooioInboundService } from './blooio-inbound.service';
import { parseBlooioPayload } from './blooio-payload';
import { BlooioStatusService, statusByEvent } from './blooio-status.service';
import type { BlooioWebhookResponseDto } from './dto/blooio-webhook-response.dto';
import type { VerifiedBlooioWebhook } from './verified-webhook';

// Field names and event types are logged only when they look like identifiers: a payload can put
// a phone number or a message in a key, and the debug line would carry it.
const identifier = /^[A-Za-z_][A-Za-z0-9_.]{0,63}$/;

function loggable(name: string): string {
  return identifier.test(name) ? name : '[not an identifier]';
}

/** Validates a verified Blooio delivery and routes it by event type. */
@Injectable()
export class BlooioWebhookService {
  constructor(
    private readonly inbound: BlooioInboundService,
    private readonly statuses: BlooioStatusService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(BlooioWebhookService.name);
  }

  async handle(webhook: VerifiedBlooioWebhook): Promise<BlooioWebhookResponseDto> {
    const { event, unknownFields } = parseBlooioPayload(webhook.payload);

    if (unknownFields.length > 0) {
      this.logger.debug(
        { tenantId: webhook.tenantId, unknownFields: unknownFields.map(loggable) },
        'Ignored unknown webhook fields',
      );
    }

    if (event.type === 'message.received') {
      return { status: await this.inbound.receive(webhook, event) };
    }

    const status = statusByEvent.get(event.type);

    if (status) {
      return { status: await this.statuses.apply(webhook, event, status) };
    }

    this.logger.debug(
      { tenantId: webhook.tenantId, event: loggable(event.type) },
      'Ignored webhook with an unhandled event type',
    );

    return { status: 'ignored' };
  }
}
