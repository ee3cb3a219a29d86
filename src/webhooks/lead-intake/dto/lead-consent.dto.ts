import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';

/** The lead's consent to be texted, as the form recorded it. */
export class LeadConsentDto {
  @ApiProperty({
    description: 'A JSON boolean; the string "false" is rejected, never read as true.',
  })
  @IsBoolean()
  given: boolean;

  @ApiPropertyOptional({
    example: '2026-12-04T10:15:00Z',
    description: 'When consent was given (ISO 8601).',
  })
  @IsOptional()
  @IsISO8601({ strict: true })
  at?: string;

  @ApiPropertyOptional({ example: 'I agree to receive text messages from Demo Dental.' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  wording?: string;
}
