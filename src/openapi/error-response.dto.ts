import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The body of every error response (see AllExceptionsFilter). */
export class ErrorResponseDto {
  @ApiProperty({ example: 401 })
  statusCode: number;

  @ApiProperty({ example: 'Unauthorized' })
  error: string;

  @ApiProperty({
    oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }],
    example: 'Invalid webhook signature',
  })
  message: string | string[];

  @ApiPropertyOptional({ description: 'Also sent in the X-Request-Id header and logged.' })
  requestId?: string;

  @ApiPropertyOptional({
    description: 'Present on 5xx responses. The log line contains the same id.',
  })
  errorId?: string;
}
