import type { AuditTarget } from '../audit-target';
import type { Catalog } from '../catalog/read-catalog';
import type { Policy } from '../catalog/policies';
import type { Finding } from '../finding';
import type { CheckContext } from './check-context';
import { isAlwaysTrue } from './policy-expression';

function alwaysTrueClauses(policy: Policy): string[] {
  return [
    policy.using !== null && isAlwaysTrue(policy.using) ? `USING (${policy.using})` : null,
    policy.withCheck !== null && isAlwaysTrue(policy.withCheck)
      ? `WITH CHECK (${policy.withCheck})`
      : null,
  ].filter((clause): clause is string => clause !== null);
}

/**
 * Lists why an always-true policy is not the tenant-resolution exception. The exception is a
 * SELECT-only policy TO the resolver role alone. That role cannot log in, is no superuser, has no
 * BYPASSRLS and cannot be reached from the application role. It may read only chosen columns of
 * the table (column grants, no table-wide SELECT) and may not write it.
 */
function resolverExceptionViolations(
  policy: Policy,
  catalog: Catalog,
  target: AuditTarget,
): string[] {
  const resolver = catalog.roles.resolver;
  const table = catalog.relations.find((relation) => relation.oid === policy.tableOid);

  if (!resolver || !policy.onlyForResolver || !table?.resolver) {
    return [`it is not TO ${target.resolverRole} alone`];
  }

  const violations = [
    policy.command !== 'SELECT' ? `it is FOR ${policy.command}, not FOR SELECT` : null,
    resolver.canLogin ? `${resolver.name} can log in` : null,
    resolver.isSuperuser ? `${resolver.name} is a superuser` : null,
    resolver.bypassesRls ? `${resolver.name} has BYPASSRLS` : null,
    catalog.roles.reachable.some((role) => role.oid === resolver.oid)
      ? `${target.appRole} can SET ROLE to ${resolver.name}`
      : null,
    table.resolver.tableWideSelect
      ? `${resolver.name} holds SELECT on the whole table instead of on chosen columns`
      : null,
    table.resolver.canWrite ? `${resolver.name} may write the table` : null,
  ];

  return violations.filter((violation): violation is string => violation !== null);
}

/**
 * Reports permissive policies with an always-true clause (USING (true), WITH CHECK (true) and the
 * like), which show or accept every tenant's rows. For the application role or PUBLIC that is an
 * error. The tenant-resolution read policy (see resolverExceptionViolations) is info. For any
 * other role it is a warning, because that role then reads across tenants.
 */
export function checkAlwaysTruePolicies({ catalog, target }: CheckContext): Finding[] {
  return catalog.policies.flatMap((policy): Finding[] => {
    const clauses = alwaysTrueClauses(policy);

    if (!policy.permissive || clauses.length === 0) {
      return [];
    }

    const object = `policy ${policy.name} on ${policy.table}`;
    const dropFix = `DROP POLICY ${policy.name} ON ${policy.table}; isolate with a tenant_isolation policy instead.`;

    if (policy.appliesToApp) {
      return [
        {
          check: 'policy-always-true',
          severity: 'error',
          object,
          problem: `The ${policy.command} policy for ${policy.roles.join(', ')} has ${clauses.join(' and ')}, so the application role reaches every tenant's rows.`,
          fix: dropFix,
        },
      ];
    }

    const violations = resolverExceptionViolations(policy, catalog, target);
    const table = catalog.relations.find((relation) => relation.oid === policy.tableOid);

    if (violations.length === 0) {
      return [
        {
          check: 'policy-always-true',
          severity: 'info',
          object,
          problem: `Tenant-resolution read policy: ${target.resolverRole} may read ${table?.resolver?.readableColumns.join(', ')} across tenants; it cannot log in and the application role cannot become it.`,
          fix: 'Nothing to do; keep the column grants to the columns those functions return.',
        },
      ];
    }

    if (policy.onlyForResolver) {
      return [
        {
          check: 'policy-always-true',
          severity: 'error',
          object,
          problem: `The ${policy.command} policy has ${clauses.join(' and ')} for the resolver role, but not in the allowed form: ${violations.join('; ')}.`,
          fix: `Keep it FOR SELECT TO ${target.resolverRole} only, with ${target.resolverRole} NOLOGIN, NOSUPERUSER, NOBYPASSRLS, outside the application role's memberships, and grant it SELECT on the needed columns only.`,
        },
      ];
    }

    return [
      {
        check: 'policy-always-true',
        severity: 'warning',
        object,
        problem: `The ${policy.command} policy has ${clauses.join(' and ')} for ${policy.roles.join(', ')}, which then reach every tenant's rows.`,
        fix: `Confirm that ${policy.roles.join(', ')} must read across tenants, or ${dropFix}`,
      },
    ];
  });
}
