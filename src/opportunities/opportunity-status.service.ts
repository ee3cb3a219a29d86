import { Injectable } from '@nestjs/common';

import { AuditLogRepository } from '../audit-log/audit-log.repository';
import { TenantDatabase } from '../database/tenant-database';
import {
  InvalidStatusTransitionError,
  OpportunityNotFoundError,
  StatusChangedConcurrentlyError,
} from './opportunities-api.errors';
import { OpportunitiesQueryRepository } from './opportunities-query.repository';
import type { OpportunityView } from './opportunities-query.repository';
import { canTransition } from './opportunity-status-rules';
import { OpportunityStatusRepository } from './opportunity-status.repository';
import type { UpdateOpportunityStatusDto } from './dto/update-opportunity-status.dto';

/** Moves an opportunity along its pipeline and records who did it in the audit log. */
@Injectable()
export class OpportunityStatusService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly opportunities: OpportunitiesQueryRepository,
    private readonly statuses: OpportunityStatusRepository,
    private readonly audit: AuditLogRepository,
  ) {}

  changeStatus(
    tenantId: string,
    actor: string,
    id: string,
    change: UpdateOpportunityStatusDto,
  ): Promise<OpportunityView> {
    return this.db.transaction(tenantId, async (tx) => {
      const current = await this.opportunities.findById(tx, id);

      if (!current) {
        throw new OpportunityNotFoundError(id);
      }

      if (!canTransition(current.status, change.status)) {
        throw new InvalidStatusTransitionError(current.status, change.status);
      }

      const updated = await this.statuses.updateIfStatus(tx, {
        id,
        expected: current.status,
        status: change.status,
        appointmentAt: change.appointmentAt,
      });

      if (!updated) {
        throw new StatusChangedConcurrentlyError(current.status);
      }

      await this.audit.append(tx, tenantId, {
        actor,
        action: 'opportunity.status_changed',
        details: {
          opportunityId: id,
          from: current.status,
          to: updated.status,
          appointmentAt: updated.appointmentAt?.toISOString() ?? null,
        },
      });

      return updated;
    });
  }
}
