import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsObject,
  IsOptional,
  IsString,
  Length,
  MaxLength,
  ValidateNested,
} from 'class-validator';

import { IsEmailAddress } from '../../../common/validation/email-address';
import { LeadConsentDto } from './lead-consent.dto';
import { LeadUtmDto } from './lead-utm.dto';

export const maxTags = 20;

/** A new lead from a web form or CRM. At least one of phone and email is required. */
export class CreateLeadDto {
  @ApiPropertyOptional({ example: 'Jane Doe', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    example: '(415) 555-2671',
    description: "Normalised to E.164; national formats are read with the tenant's default region.",
  })
  @IsOptional()
  @IsString()
  @Length(3, 32)
  phone?: string;

  @ApiPropertyOptional({ example: 'jane@example.com', maxLength: 254 })
  @IsOptional()
  @IsEmailAddress()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ example: 'website-form', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  source?: string;

  @ApiPropertyOptional({ type: LeadConsentDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LeadConsentDto)
  consent?: LeadConsentDto;

  @ApiPropertyOptional({ type: LeadUtmDto })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => LeadUtmDto)
  utm?: LeadUtmDto;

  @ApiPropertyOptional({ type: [String], maxItems: maxTags, example: ['new-patient'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(maxTags)
  @IsString({ each: true })
  @Length(1, 50, { each: true })
  tags?: string[];

  @ApiPropertyOptional({
    example: 'crm-lead-8841',
    description: 'The id in the source system; a retry with the same id returns the first result.',
  })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  externalId?: string;
}
