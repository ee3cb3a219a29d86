import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import { ContactsRepository } from './contacts.repository';
import type { LeadContactInput, UpsertedContact } from './lead-contact';

/** Creates and merges contacts from leads. */
@Injectable()
export class ContactsService {
  constructor(private readonly repository: ContactsRepository) {}

  /**
   * Returns the lead's contact, created or merged, with its row locked until the transaction ends.
   * A lead matches an existing contact by phone, then email, then external id.
   */
  async upsertLead(tx: TenantTransaction, lead: LeadContactInput): Promise<UpsertedContact> {
    const existing = await this.repository.findForLead(tx, lead);

    if (!existing) {
      const inserted = await this.repository.insertForLead(tx, lead);

      if (inserted) {
        return { id: inserted, isNew: true };
      }
    }

    // Either an existing contact, or one a concurrent lead inserted since the first lookup.
    const id = existing ?? (await this.repository.findForLead(tx, lead));

    if (!id) {
      throw new Error('Lead contact vanished between insert and lookup');
    }

    await this.repository.updateForLead(tx, id, lead);

    return { id, isNew: false };
  }
}
