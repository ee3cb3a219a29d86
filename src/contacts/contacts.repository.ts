import { Injectable } from '@nestjs/common';

import type { ContactAddress } from '../common/phone/phone-number';
import type { TenantTransaction } from '../database/tenant-database';

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
}
