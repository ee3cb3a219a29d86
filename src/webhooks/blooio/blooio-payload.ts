import { validateSync } from 'class-validator';
import type { ValidationError } from 'class-validator';

import type { ContactAttachment } from '../../conversations/inbound-message';
import { WebhookError } from '../webhooks.errors';
import type { BlooioEvent } from './blooio-event';
import { BlooioWebhookDto, blooioWebhookFields } from './dto/blooio-webhook.dto';

const knownFields = new Set<string>(blooioWebhookFields);
const maxReportedUnknownFields = 20;
// Times outside this range are treated as absent: they are not milliseconds since the epoch.
const earliestMs = Date.UTC(2000, 0, 1);
const latestMs = Date.UTC(2100, 0, 1);

export interface ParsedBlooioPayload {
  event: BlooioEvent;
  /** Top-level fields we do not read, at most 20, for a debug log line. */
  unknownFields: string[];
}

function messagesOf(errors: ValidationError[]): string[] {
  return errors.flatMap((error) => Object.values(error.constraints ?? {}));
}

function toDate(value: number | string | null | undefined): Date | undefined {
  const ms = typeof value === 'string' ? Number(value) : value;

  return typeof ms === 'number' && ms >= earliestMs && ms < latestMs ? new Date(ms) : undefined;
}

function toAttachments(value: BlooioWebhookDto['attachments']): ContactAttachment[] {
  return (value ?? []).map((item) =>
    typeof item === 'string'
      ? { url: item }
      : { url: item.url, ...(item.name ? { name: item.name } : {}) },
  );
}

function optionalString(value: string | number | null | undefined): string | undefined {
  return value === null || value === undefined ? undefined : String(value);
}

/**
 * Validates a verified webhook body and maps it to a BlooioEvent. Only the known fields are copied
 * and checked, so unknown fields of any shape or depth are ignored without being traversed.
 * Throws WebhookError('invalid_payload') listing every problem.
 */
export function parseBlooioPayload(payload: unknown, now = new Date()): ParsedBlooioPayload {
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new WebhookError('invalid_payload', 'Webhook body must be a JSON object');
  }

  const body = payload as Record<string, unknown>;
  const dto = new BlooioWebhookDto();

  for (const field of blooioWebhookFields) {
    if (Object.hasOwn(body, field)) {
      Object.assign(dto, { [field]: body[field] });
    }
  }

  const errors = validateSync(dto, { forbidUnknownValues: false });

  if (errors.length > 0) {
    throw new WebhookError('invalid_payload', messagesOf(errors));
  }

  const unknownFields = Object.keys(body)
    .filter((key) => !knownFields.has(key))
    .slice(0, maxReportedUnknownFields);

  return {
    unknownFields,
    event: {
      type: dto.event,
      messageId: dto.message_id,
      externalId: optionalString(dto.external_id),
      protocol: optionalString(dto.protocol),
      text: dto.text ?? '',
      attachments: toAttachments(dto.attachments),
      isGroup: dto.is_group === true,
      groupId: optionalString(dto.group_id),
      sender: optionalString(dto.sender),
      occurredAt: toDate(dto.timestamp) ?? now,
      receivedAt: toDate(dto.received_at),
      sentAt: toDate(dto.sent_at),
      deliveredAt: toDate(dto.delivered_at),
      readAt: toDate(dto.read_at),
      errorCode: optionalString(dto.error_code),
      errorMessage: optionalString(dto.error_message),
    },
  };
}
