import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import {
  IsBoolean,
  IsOptional,
  IsString,
  Length,
  Matches,
  MaxLength,
  ValidateIf,
} from 'class-validator';

import { BlooioAttachmentDto } from './blooio-attachment.dto';
import { IsAttachmentList, IsEpochMillis, IsStringOrNumber } from './blooio-validators';

export const blooioEventTypes = [
  'message.received',
  'message.sent',
  'message.delivered',
  'message.read',
  'message.failed',
] as const;

export type BlooioEventType = (typeof blooioEventTypes)[number];

const epochMillis = { type: Number, nullable: true, example: 1733356800000 };

/**
 * A Blooio v2 webhook body. Parsed tolerantly: fields not listed here are ignored, unknown event
 * types are accepted and ignored, and only the fields below are type-checked.
 */
@ApiExtraModels(BlooioAttachmentDto)
export class BlooioWebhookDto {
  @ApiProperty({
    enum: blooioEventTypes,
    description: 'Other event types are accepted and ignored.',
  })
  @IsString()
  @Length(1, 64)
  event: string;

  @ApiProperty({ example: 'msg_9f8e7d6c', description: "Blooio's message id." })
  @IsString()
  @Length(1, 256)
  // A lone surrogate would be stored as U+FFFD, so two different ids could become one, and the
  // second message would be taken for a duplicate and lost.
  @Matches(/^[^\p{Cs}\p{Cc}]+$/u, {
    message: 'message_id must be text without control characters or lone surrogates',
  })
  message_id: string;

  @ApiProperty({
    example: '+14155550100',
    description: 'Our number that received or sent the message.',
  })
  @IsString()
  @Length(1, 64)
  internal_id: string;

  @ApiPropertyOptional({
    example: '+14155552671',
    description:
      'The contact (phone or iMessage email), or the group id; required for message.received.',
  })
  @ValidateIf(
    (body: BlooioWebhookDto) => body.event === 'message.received' || body.external_id !== undefined,
  )
  @IsString()
  @Length(1, 320)
  external_id?: string;

  @ApiPropertyOptional({ example: 'imessage', description: 'imessage, sms, rcs, non-imessage, …' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  protocol?: string | null;

  @ApiPropertyOptional({ example: 'Hi, can I book a cleaning next week?' })
  @IsOptional()
  @IsString()
  text?: string | null;

  @ApiPropertyOptional({
    type: 'array',
    items: { oneOf: [{ type: 'string' }, { $ref: getSchemaPath(BlooioAttachmentDto) }] },
  })
  @IsOptional()
  @IsAttachmentList()
  attachments?: (string | BlooioAttachmentDto)[] | null;

  @ApiPropertyOptional()
  @IsOptional()
  @IsBoolean()
  is_group?: boolean | null;

  @ApiPropertyOptional({ example: 'grp_abc123' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  group_id?: string | null;

  @ApiPropertyOptional({ description: 'The member who wrote, for group messages.' })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  sender?: string | null;

  @ApiPropertyOptional({ ...epochMillis, description: 'When Blooio sent the webhook (ms).' })
  @IsEpochMillis()
  timestamp?: number | string | null;

  @ApiPropertyOptional(epochMillis)
  @IsEpochMillis()
  received_at?: number | string | null;

  @ApiPropertyOptional(epochMillis)
  @IsEpochMillis()
  sent_at?: number | string | null;

  @ApiPropertyOptional(epochMillis)
  @IsEpochMillis()
  delivered_at?: number | string | null;

  @ApiPropertyOptional(epochMillis)
  @IsEpochMillis()
  read_at?: number | string | null;

  @ApiPropertyOptional({ oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true })
  @IsOptional()
  @IsStringOrNumber()
  error_code?: string | number | null;

  @ApiPropertyOptional({ nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  error_message?: string | null;
}

/** The body fields read from a webhook; every other field is ignored. */
export const blooioWebhookFields: readonly (keyof BlooioWebhookDto)[] = [
  'event',
  'message_id',
  'internal_id',
  'external_id',
  'protocol',
  'text',
  'attachments',
  'is_group',
  'group_id',
  'sender',
  'timestamp',
  'received_at',
  'sent_at',
  'delivered_at',
  'read_at',
  'error_code',
  'error_message',
];
