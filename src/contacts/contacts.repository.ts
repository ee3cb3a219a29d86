import { Injectable } from '@nestjs/common';

import type { ContactAddress } from '../common/phone/phone-number';
import type { TenantTransaction } from '../database/tenant-database';
import type { LeadContactInput } from './lead-contact';

/** Contact rows, written inside the caller's tenant transaction. */
@Injectable()
export class ContactsRepository {
  /**
   * Returns the id of the contact with this phone or email, creating it if needed. ON CONFLICT DO
   * UPDATE (rather than DO NOTHING) makes concurrent first messages from one person return the
   * same row instead of failing or missing it.
   */
  async upsertByAddress(
    tx: TenantTransaction,
    tenantId: string,
    address: ContactAddress,
  ): Promise<string> {
    const rows =
      address.kind === 'phone'
        ? await tx.$queryRaw<{ id: string }[]>`
            INSERT INTO contacts (id, tenant_id, phone, updated_at)
            VALUES (gen_random_uuid(), ${tenantId}::uuid, ${address.value}, now())
            ON CONFLICT (tenant_id, phone) DO UPDATE SET updated_at = now()
            RETURNING id`
        : await tx.$queryRaw<{ id: string }[]>`
            INSERT INTO contacts (id, tenant_id, email, updated_at)
            VALUES (gen_random_uuid(), ${tenantId}::uuid, ${address.value}, now())
            ON CONFLICT (tenant_id, email) DO UPDATE SET updated_at = now()
            RETURNING id`;

    return rows[0].id;
  }

  /**
   * Finds and locks the contact a lead belongs to: by phone first, then email, then external id.
   * The row lock (FOR UPDATE) lasts until the transaction ends.
   */
  async findForLead(tx: TenantTransaction, lead: LeadContactInput): Promise<string | undefined> {
    const phone = lead.phone ?? null;
    const email = lead.email ?? null;
    const externalId = lead.externalId ?? null;
    const rows = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM contacts
      WHERE tenant_id = ${lead.tenantId}::uuid
        AND (phone = ${phone} OR email = ${email} OR external_id = ${externalId})
      ORDER BY (phone = ${phone}) IS TRUE DESC, (email = ${email}) IS TRUE DESC, created_at, id
      LIMIT 1
      FOR UPDATE`;

    return rows[0]?.id;
  }

  /**
   * Inserts a contact for a lead. Returns undefined when a concurrent transaction inserted one with
   * the same phone, email or external id first, because ON CONFLICT DO NOTHING waits for that
   * transaction to commit and then skips the row.
   */
  async insertForLead(tx: TenantTransaction, lead: LeadContactInput): Promise<string | undefined> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO contacts (id, tenant_id, phone, email, name, external_id, source, consent_given,
        consent_at, consent_text, utm, tags, updated_at)
      VALUES (gen_random_uuid(), ${lead.tenantId}::uuid, ${lead.phone ?? null}, ${lead.email ?? null},
        ${lead.name ?? null}, ${lead.externalId ?? null}, ${lead.source ?? null},
        ${lead.consent?.given ?? false}, ${lead.consent?.at ?? null}::timestamptz,
        ${lead.consent?.wording ?? null}, ${lead.utm ? JSON.stringify(lead.utm) : null}::jsonb,
        ${lead.tags}::text[], now())
      ON CONFLICT DO NOTHING
      RETURNING id`;

    return rows[0]?.id;
  }

  /**
   * Merges a lead into an existing contact. A missing phone, email or external id is filled in only
   * when no other contact has it, so a merge does not violate a unique index. The lead's name and
   * consent statement, when present, replace the old ones. The first source and UTM values are
   * kept, and tags are added.
   */
  async updateForLead(
    tx: TenantTransaction,
    contactId: string,
    lead: LeadContactInput,
  ): Promise<void> {
    const phone = lead.phone ?? null;
    const email = lead.email ?? null;
    const externalId = lead.externalId ?? null;
    const hasConsent = lead.consent !== undefined;

    await tx.$executeRaw`
      UPDATE contacts AS c SET
        phone = COALESCE(c.phone, (SELECT ${phone}::text WHERE NOT EXISTS (
          SELECT 1 FROM contacts o WHERE o.tenant_id = c.tenant_id AND o.phone = ${phone}))),
        email = COALESCE(c.email, (SELECT ${email}::text WHERE NOT EXISTS (
          SELECT 1 FROM contacts o WHERE o.tenant_id = c.tenant_id AND o.email = ${email}))),
        external_id = COALESCE(c.external_id, (SELECT ${externalId}::text WHERE NOT EXISTS (
          SELECT 1 FROM contacts o WHERE o.tenant_id = c.tenant_id AND o.external_id = ${externalId}))),
        name = COALESCE(${lead.name ?? null}, c.name),
        source = COALESCE(c.source, ${lead.source ?? null}),
        consent_given = CASE WHEN ${hasConsent} THEN ${lead.consent?.given ?? false} ELSE c.consent_given END,
        consent_at = CASE WHEN ${hasConsent} THEN ${lead.consent?.at ?? null}::timestamptz ELSE c.consent_at END,
        consent_text = CASE WHEN ${hasConsent} THEN ${lead.consent?.wording ?? null} ELSE c.consent_text END,
        utm = COALESCE(c.utm, ${lead.utm ? JSON.stringify(lead.utm) : null}::jsonb),
        tags = ARRAY(SELECT DISTINCT t FROM unnest(c.tags || ${lead.tags}::text[]) AS t ORDER BY t),
        updated_at = now()
      WHERE c.id = ${contactId}::uuid`;
  }
}
