import type { Relation } from '../catalog/relations';
import type { Finding } from '../finding';
import type { CheckContext } from './check-context';
import { quoteIdentifier, tenantKeyColumn } from './check-context';

function bypassReason(relation: Relation): string | null {
  if (relation.kind === 'materialized view') {
    return 'is a materialized view, which row-level security does not cover';
  }

  if (relation.kind === 'view' && !relation.securityInvoker) {
    return "is a view that runs with its owner's rights";
  }

  if (relation.kind === 'table' && !relation.rowSecurity) {
    return 'has row-level security disabled';
  }

  return null;
}

/**
 * Reports Supabase API roles (anon, authenticated) with privileges on relations that row-level
 * security does not guard: a table without RLS, a view that is not security_invoker, a
 * materialized view. The public Data API runs as those roles. Grants on guarded tenant-owned
 * tables are a warning, because the tenant policies apply to every role and trust app.tenant_id.
 * Supabase is recognised by the presence of the roles.
 */
export function checkSupabaseRoles({ catalog, target }: CheckContext): Finding[] {
  const present = catalog.roles.supabaseRoles;

  if (present.length === 0) {
    return [
      {
        check: 'supabase-anon-access',
        severity: 'info',
        object: `roles ${target.supabaseRoles.join(', ')}`,
        problem:
          'None of these roles exists, so this is not a Supabase database; the check was skipped.',
        fix: 'Nothing to do.',
      },
    ];
  }

  return catalog.relations.flatMap((relation): Finding[] => {
    if (relation.supabaseGrantees.length === 0) {
      return [];
    }

    const grantees = relation.supabaseGrantees.map(quoteIdentifier).join(', ');
    const fix = `REVOKE ALL ON ${relation.name} FROM ${grantees};`;
    const reason = bypassReason(relation);

    if (reason) {
      return [
        {
          check: 'supabase-anon-access',
          severity: 'error',
          object: relation.name,
          problem: `${relation.supabaseGrantees.join(', ')} hold privileges on it, and it ${reason}, so the public Data API can reach every row.`,
          fix,
        },
      ];
    }

    if (tenantKeyColumn(relation) === null) {
      return [];
    }

    return [
      {
        check: 'supabase-anon-access',
        severity: 'warning',
        object: relation.name,
        problem: `${relation.supabaseGrantees.join(', ')} hold privileges on this tenant-owned table; only the tenant policies stand between them and the rows.`,
        fix,
      },
    ];
  });
}
