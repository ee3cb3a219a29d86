import {
  Body,
  Controller,
  Headers,
  HttpCode,
  HttpStatus,
  Post,
  Res,
  UseFilters,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';

import { CurrentTenant } from '../../common/auth/current-tenant.decorator';
import { RequireScopes } from '../../common/auth/require-scopes.decorator';
import type { AuthenticatedTenant } from '../../common/auth/tenant-request';
import { ErrorResponseDto } from '../../openapi/error-response.dto';
import { ApiKeyGuard } from '../../tenants/api-key.guard';
import { WebhookErrorFilter } from '../webhook-error.filter';
import { CreateLeadDto } from './dto/create-lead.dto';
import { LeadIntakeResponseDto } from './dto/lead-intake-response.dto';
import { LeadIntakeService } from './lead-intake.service';

@ApiTags('lead intake')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller()
@UseFilters(WebhookErrorFilter)
@UseGuards(ApiKeyGuard)
export class LeadIntakeController {
  constructor(private readonly leads: LeadIntakeService) {}

  // /lead-intake is the path of the previous server, kept so existing forms need no change.
  @Post(['webhooks/lead-intake', 'lead-intake'])
  @RequireScopes(['write'])
  @HttpCode(HttpStatus.CREATED)
  @ApiOperation({
    summary: 'Create or update a contact and open an opportunity in the default pipeline',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description:
      'A retry with the same key (or, without one, the same externalId) returns the first result with 200.',
  })
  @ApiCreatedResponse({ type: LeadIntakeResponseDto })
  @ApiOkResponse({
    type: LeadIntakeResponseDto,
    description: 'Replay of an earlier request with the same key',
  })
  @ApiBadRequestResponse({ type: ErrorResponseDto })
  @ApiUnauthorizedResponse({ type: ErrorResponseDto })
  @ApiForbiddenResponse({
    type: ErrorResponseDto,
    description: 'Key lacks the write scope or tenant suspended',
  })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Tenant has no default pipeline' })
  @ApiUnprocessableEntityResponse({
    type: ErrorResponseDto,
    description: 'Key reused with a different body',
  })
  async create(
    @CurrentTenant() tenant: AuthenticatedTenant,
    @Body() lead: CreateLeadDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<LeadIntakeResponseDto> {
    const result = await this.leads.intake(tenant.tenantId, lead, idempotencyKey);

    if (result.isReplay) {
      void reply.status(HttpStatus.OK).header('idempotent-replayed', 'true');
    }

    return result.body;
  }
}
