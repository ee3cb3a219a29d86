import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import { Prisma } from '../generated/prisma/client';
import type { OpportunityStatus } from '../generated/prisma/enums';
import { opportunityColumns } from './opportunities-query.repository';
import type { OpportunityView } from './opportunities-query.repository';

export interface StatusChange {
  id: string;
  expected: OpportunityStatus;
  status: OpportunityStatus;
  /** Set only when booking; other changes keep the stored appointment time. */
  appointmentAt?: Date;
}

@Injectable()
export class OpportunityStatusRepository {
  /**
   * Moves the opportunity to the new status only if it still has the expected one. Under READ
   * COMMITTED, an UPDATE that waited for a concurrent change re-checks the WHERE clause against the
   * committed row, so two racing requests cannot both apply: the loser updates nothing and gets null.
   */
  async updateIfStatus(
    tx: TenantTransaction,
    change: StatusChange,
  ): Promise<OpportunityView | null> {
    const appointment = change.appointmentAt
      ? Prisma.sql`, appointment_at = ${change.appointmentAt}::timestamptz`
      : Prisma.empty;
    const rows = await tx.$queryRaw<OpportunityView[]>`
      UPDATE opportunities
      SET status = ${change.status}::opportunity_status, updated_at = now() ${appointment}
      WHERE id = ${change.id}::uuid AND status = ${change.expected}::opportunity_status
      RETURNING ${opportunityColumns}`;

    return rows[0] ?? null;
  }
}
