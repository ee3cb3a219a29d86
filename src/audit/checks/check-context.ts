import { tenantColumn } from '../audit-target';
import type { AuditTarget } from '../audit-target';
import type { Catalog } from '../catalog/read-catalog';
import type { Relation } from '../catalog/relations';
import type { Finding } from '../finding';
import type { MigrationFile } from '../migration-files';

export interface CheckContext {
  catalog: Catalog;
  target: AuditTarget;
  migrationFiles: MigrationFile[];
}

export type AuditCheck = (context: CheckContext) => Finding[];

/**
 * Returns the column that ties a table's rows to a tenant: tenant_id on tenant-owned tables, id
 * on the tenants table itself, null on any other relation.
 */
export function tenantKeyColumn(relation: Relation): string | null {
  if (relation.kind !== 'table') {
    return null;
  }

  if (relation.isTenantsTable) {
    return 'id';
  }

  return relation.hasTenantColumn ? tenantColumn : null;
}

/** Quotes an identifier for SQL in a fix hint when its spelling needs it; reserved words are not detected. */
export function quoteIdentifier(name: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}
