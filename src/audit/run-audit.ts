import type { AuditTarget } from './audit-target';
import { withAuditSession } from './catalog/audit-session';
import { readCatalog } from './catalog/read-catalog';
import { auditChecks } from './checks/audit-checks';
import { countBySeverity, sortFindings } from './finding';
import type { Finding, Severity } from './finding';
import { readMigrationFiles } from './migration-files';

export interface AuditReport {
  database: string;
  appRole: string;
  schemas: string[];
  /** True when no finding is an error. */
  passed: boolean;
  summary: Record<Severity, number>;
  findings: Finding[];
}

/** Reads the database catalog once and runs every check against it. */
export async function runAudit(target: AuditTarget): Promise<AuditReport> {
  const migrationFiles = await readMigrationFiles(target.migrationsDir);
  const catalog = await withAuditSession(target.adminUrl, (client) => readCatalog(client, target));
  const findings = sortFindings(
    auditChecks.flatMap((check) => check({ catalog, target, migrationFiles })),
  );
  const summary = countBySeverity(findings);

  return {
    database: catalog.database,
    appRole: target.appRole,
    schemas: target.schemas,
    passed: summary.error === 0,
    summary,
    findings,
  };
}
