/** A lead's contact details, already normalised (E.164 phone, lowercase email). */
export interface LeadContactInput {
  tenantId: string;
  phone?: string;
  email?: string;
  name?: string;
  externalId?: string;
  source?: string;
  consent?: { given: boolean; at?: Date; wording?: string };
  utm?: Record<string, string>;
  tags: string[];
}

export interface UpsertedContact {
  id: string;
  isNew: boolean;
}
