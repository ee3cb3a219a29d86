import { Injectable } from '@nestjs/common';

import type { TenantTransaction } from '../database/tenant-database';
import type { Prisma } from '../generated/prisma/client';

export interface AuditEntry {
  /** The acting party: the operator's name for the CLI, `api-key:<id>` for the API. */
  actor: string;
  /** A dotted verb such as `tenant.suspended`. */
  action: string;
  /** Ids and settings that explain the action. Never a secret, a key or a message text. */
  details: Prisma.InputJsonObject;
}

/**
 * Appends to audit_log inside the caller's tenant transaction, so the entry commits or rolls back
 * together with the change it describes. The table rejects UPDATE and DELETE.
 */
@Injectable()
export class AuditLogRepository {
  async append(tx: TenantTransaction, tenantId: string, entry: AuditEntry): Promise<void> {
    await tx.auditLog.create({
      data: { tenantId, actor: entry.actor, action: entry.action, details: entry.details },
      select: { id: true },
    });
  }
}
