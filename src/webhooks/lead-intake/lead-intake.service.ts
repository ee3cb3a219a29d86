import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { toE164 } from '../../common/phone/phone-number';
import { ContactsService } from '../../contacts/contacts.service';
import type { LeadContactInput } from '../../contacts/lead-contact';
import { isUniqueViolation } from '../../database/database-errors';
import { retry } from '../../database/retry';
import { TenantDatabase } from '../../database/tenant-database';
import type { TenantTransaction } from '../../database/tenant-database';
import { OpportunitiesService } from '../../opportunities/opportunities.service';
import { WebhookInboxRepository } from '../webhook-inbox.repository';
import { WebhookTenantRepository } from '../webhook-tenant.repository';
import { WebhookError } from '../webhooks.errors';
import type { CreateLeadDto } from './dto/create-lead.dto';
import type { LeadIntakeResponseDto } from './dto/lead-intake-response.dto';
import { leadDedupKey } from './idempotency-key';
import { requestFingerprint } from './request-fingerprint';

export interface LeadIntakeResult {
  body: LeadIntakeResponseDto;
  /** True when an earlier request with the same key produced this body. */
  isReplay: boolean;
}

interface StoredLeadResponse {
  fingerprint: string;
  body: LeadIntakeResponseDto;
}

function cleanTags(tags: string[] | undefined): string[] {
  return [...new Set((tags ?? []).map((tag) => tag.trim()).filter((tag) => tag.length > 0))];
}

function cleanUtm(dto: CreateLeadDto): Record<string, string> | undefined {
  const entries = Object.entries(dto.utm ?? {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== '',
  );

  return entries.length > 0
    ? Object.fromEntries(entries.map(([key, value]) => [key, value.trim()]))
    : undefined;
}

/** Attempts of a lead-intake transaction that keeps failing on a unique index. */
const maxConflictAttempts = 3;

/**
 * Turns a lead into a contact and an open opportunity in the tenant's default pipeline, in one
 * tenant transaction. With an idempotency key, the inbox row is claimed first: a retry, even a
 * concurrent one, waits for the first request to commit and then returns its stored result.
 */
@Injectable()
export class LeadIntakeService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly inbox: WebhookInboxRepository,
    private readonly tenants: WebhookTenantRepository,
    private readonly contacts: ContactsService,
    private readonly opportunities: OpportunitiesService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(LeadIntakeService.name);
  }

  async intake(
    tenantId: string,
    dto: CreateLeadDto,
    idempotencyKey: string | string[] | undefined,
  ): Promise<LeadIntakeResult> {
    const dedupKey = leadDedupKey(idempotencyKey, dto.externalId);
    const fingerprint = requestFingerprint(dto);

    if (dto.phone === undefined && dto.email === undefined) {
      throw new WebhookError('missing_contact', 'phone or email is required');
    }

    const result = await this.withRetryOnConflict(() =>
      this.db.transaction(tenantId, async (tx) => {
        const claimId = dedupKey
          ? await this.inbox.claim(tx, tenantId, 'lead_intake', dedupKey)
          : undefined;

        if (dedupKey && !claimId) {
          return this.replay(tx, tenantId, dedupKey, fingerprint);
        }

        const body = await this.createLead(tx, tenantId, dto);

        if (claimId) {
          const stored: StoredLeadResponse = { fingerprint, body };

          await this.inbox.saveResponse(tx, claimId, stored);
        }

        return { body, isReplay: false };
      }),
    );

    this.logger.info(
      // The API key guard already put tenantId on the request's logger.
      {
        contactId: result.body.contactId,
        opportunityId: result.body.opportunityId,
        isReplay: result.isReplay,
      },
      'Lead intake processed',
    );

    return result;
  }

  /**
   * Runs the transaction again when it failed on a unique index. Two concurrent leads can give the
   * same new email or phone to two existing contacts: each checks that no other contact has it,
   * neither sees the other's uncommitted row, and the second commit fails. Run again, the check
   * sees the committed row and leaves the field as it was, as for leads that arrive one by one.
   */
  private withRetryOnConflict<T>(work: () => Promise<T>): Promise<T> {
    return retry(work, {
      maxAttempts: maxConflictAttempts,
      isRetryable: isUniqueViolation,
      beforeRetry: (attempt) =>
        this.logger.info({ attempt }, 'Lead intake hit a concurrent write; retrying'),
    });
  }

  private async replay(
    tx: TenantTransaction,
    tenantId: string,
    dedupKey: string,
    fingerprint: string,
  ): Promise<LeadIntakeResult> {
    const stored = (await this.inbox.findResponse(tx, tenantId, 'lead_intake', dedupKey)) as
      StoredLeadResponse | undefined;

    if (!stored?.body) {
      throw new Error(`Lead intake inbox row ${dedupKey} has no stored response`);
    }

    if (stored.fingerprint !== fingerprint) {
      throw new WebhookError(
        'idempotency_key_reused',
        'This Idempotency-Key or externalId was already used with a different request body; use a new key for a new lead',
      );
    }

    return { body: stored.body, isReplay: true };
  }

  private async createLead(
    tx: TenantTransaction,
    tenantId: string,
    dto: CreateLeadDto,
  ): Promise<LeadIntakeResponseDto> {
    const lead = await this.toContactInput(tx, tenantId, dto);
    const contact = await this.contacts.upsertLead(tx, lead);
    const opportunity = await this.opportunities.openForContact(
      tx,
      tenantId,
      contact.id,
      lead.source,
    );

    if (!opportunity) {
      throw new WebhookError(
        'no_default_pipeline',
        'The tenant has no default pipeline; mark one pipeline as default and retry',
      );
    }

    return {
      contactId: contact.id,
      opportunityId: opportunity.id,
      pipelineId: opportunity.pipelineId,
      opportunityStatus: opportunity.status,
      contactCreated: contact.isNew,
      opportunityCreated: opportunity.isNew,
    };
  }

  private async toContactInput(
    tx: TenantTransaction,
    tenantId: string,
    dto: CreateLeadDto,
  ): Promise<LeadContactInput> {
    let phone: string | undefined;

    if (dto.phone !== undefined) {
      const region = (await this.tenants.findDefaultRegion(tx, tenantId)) ?? 'US';

      phone = toE164(dto.phone, region);

      if (!phone) {
        throw new WebhookError(
          'invalid_contact',
          `phone is not a valid phone number in region ${region}; send it in E.164 form, e.g. +14155552671`,
        );
      }
    }

    return {
      tenantId,
      phone,
      email: dto.email?.trim().toLowerCase(),
      name: dto.name?.trim() || undefined,
      externalId: dto.externalId,
      source: dto.source?.trim() || undefined,
      consent: dto.consent
        ? {
            given: dto.consent.given,
            at: dto.consent.at,
            wording: dto.consent.wording,
          }
        : undefined,
      utm: cleanUtm(dto),
      tags: cleanTags(dto.tags),
    };
  }
}
