import { ApiProperty } from '@nestjs/swagger';

export const blooioOutcomes = [
  'stored',
  'duplicate',
  'ignored',
  'updated',
  'unchanged',
  'unknown_message',
] as const;

export type BlooioOutcome = (typeof blooioOutcomes)[number];

/** The 200 response to an accepted delivery. Blooio reads only the status code. */
export class BlooioWebhookResponseDto {
  @ApiProperty({
    enum: blooioOutcomes,
    description:
      'stored: new inbound message; duplicate: already processed; ignored: event type not handled; ' +
      'updated/unchanged: delivery status applied or already further along; ' +
      'unknown_message: no outbound message has this id.',
  })
  status: BlooioOutcome;
}
