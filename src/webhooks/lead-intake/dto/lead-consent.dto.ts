import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional, IsString, MaxLength } from 'class-validator';

import { IsTimestamp } from '../../../common/validation/is-timestamp.decorator';

/** The lead's consent to be texted, as the form recorded it. */
export class LeadConsentDto {
  @ApiProperty({
    description: 'A JSON boolean; the string "false" is rejected, never read as true.',
  })
  @IsBoolean()
  given: boolean;

  @ApiPropertyOptional({
    example: '2026-12-04T10:15:00Z',
    description: 'When consent was given: an ISO 8601 timestamp with a time zone.',
    type: String,
  })
  @IsOptional()
  @IsTimestamp()
  at?: Date;

  @ApiPropertyOptional({ example: 'I agree to receive text messages from Demo Dental.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  wording?: string;
}
