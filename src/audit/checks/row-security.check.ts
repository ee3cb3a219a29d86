import type { Finding } from '../finding';
import type { CheckContext } from './check-context';

/**
 * Reports tables in the audited schemas without row-level security enabled and forced. FORCE makes
 * the policies bind the table owner too, so a migration or a maintenance session that runs as the
 * owner sees no more than the service would.
 *
 * A table the application role cannot touch at all is reported as info. That means no table or
 * column privilege, whether direct, through PUBLIC or through a role it can become. PostgreSQL
 * rejects such a query before RLS is consulted, so RLS would change nothing for the service there.
 * This is the case of _prisma_migrations, which only the owner role reads and writes.
 */
export function checkRowSecurity({ catalog }: CheckContext): Finding[] {
  const findings: Finding[] = [];

  for (const table of catalog.relations.filter((relation) => relation.kind === 'table')) {
    const enableAndForce = `ALTER TABLE ${table.name} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${table.name} FORCE ROW LEVEL SECURITY;`;

    if (!table.rowSecurity) {
      findings.push({
        check: 'rls-enabled',
        severity: table.appHasAccess ? 'error' : 'info',
        object: table.name,
        problem: table.appHasAccess
          ? "Row-level security is disabled, so the application role sees and changes every tenant's rows."
          : 'Row-level security is disabled; the application role holds no privilege on the table, so it cannot read it either way.',
        fix: table.appHasAccess
          ? `${enableAndForce} Then add a tenant_isolation policy.`
          : `Keep the application role without grants on it, or run ${enableAndForce} before granting any.`,
      });
      continue;
    }

    if (!table.forceRowSecurity) {
      findings.push({
        check: 'rls-forced',
        severity: table.appHasAccess ? 'error' : 'info',
        object: table.name,
        problem:
          'Row-level security is enabled but not forced, so the table owner (the migration role) bypasses every policy.',
        fix: `ALTER TABLE ${table.name} FORCE ROW LEVEL SECURITY;`,
      });
    }
  }

  return findings;
}
