import { applyDecorators } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

function UtmField(example: string): PropertyDecorator {
  return applyDecorators(
    ApiPropertyOptional({ example, maxLength: 200 }),
    IsOptional(),
    IsString(),
    MaxLength(200),
  );
}

/** The campaign parameters the lead arrived with. */
export class LeadUtmDto {
  @UtmField('google')
  source?: string;

  @UtmField('cpc')
  medium?: string;

  @UtmField('spring-cleaning')
  campaign?: string;

  @UtmField('dentist near me')
  term?: string;

  @UtmField('ad-variant-b')
  content?: string;
}
