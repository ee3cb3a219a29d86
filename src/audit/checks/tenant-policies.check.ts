import { tenantSetting } from '../audit-target';
import type { Policy, PolicyCommand } from '../catalog/policies';
import type { Relation } from '../catalog/relations';
import type { Finding } from '../finding';
import type { CheckContext } from './check-context';
import { tenantKeyColumn } from './check-context';
import { constrainsToTenant, isAlwaysTrue } from './policy-expression';

const dataCommands: PolicyCommand[] = ['SELECT', 'INSERT', 'UPDATE', 'DELETE'];

function covers(policy: Policy, command: PolicyCommand): boolean {
  return policy.command === 'ALL' || policy.command === command;
}

/** Permissive policies that PostgreSQL applies to the application role, grouped by table oid. */
function appPermissivePolicies(policies: Policy[]): Map<number, Policy[]> {
  const byTable = new Map<number, Policy[]>();

  for (const policy of policies.filter((item) => item.permissive && item.appliesToApp)) {
    byTable.set(policy.tableOid, [...(byTable.get(policy.tableOid) ?? []), policy]);
  }

  return byTable;
}

function tenantTables(relations: Relation[]): { table: Relation; column: string }[] {
  return relations.flatMap((table) => {
    const column = tenantKeyColumn(table);

    return column ? [{ table, column }] : [];
  });
}

function policyFix(table: string, column: string): string {
  const predicate = `${column} = NULLIF(current_setting('${tenantSetting}', true), '')::uuid`;

  return `CREATE POLICY tenant_isolation ON ${table} USING (${predicate}) WITH CHECK (${predicate});`;
}

/**
 * Reports tenant-owned tables where the permissive policies for the application role do not cover
 * SELECT, INSERT, UPDATE and DELETE. Without a policy RLS denies that command outright. The project
 * keeps one FOR ALL policy per table and withholds a privilege instead (audit_log has no UPDATE or
 * DELETE grant), so a missing command means a policy was dropped or narrowed by mistake.
 */
export function checkPolicyCommands({ catalog }: CheckContext): Finding[] {
  const byTable = appPermissivePolicies(catalog.policies);

  return tenantTables(catalog.relations).flatMap(({ table, column }) => {
    const policies = byTable.get(table.oid) ?? [];
    const missing = dataCommands.filter(
      (command) => !policies.some((policy) => covers(policy, command)),
    );

    if (missing.length === 0) {
      return [];
    }

    return [
      {
        check: 'policy-commands',
        severity: 'error' as const,
        object: table.name,
        problem: `No permissive policy for the application role covers ${missing.join(', ')}.`,
        fix: `Add a FOR ALL policy: ${policyFix(table.name, column)}`,
      },
    ];
  });
}

function predicateProblems(policy: Policy, column: string): string[] {
  const needsUsing = policy.command !== 'INSERT';
  const needsCheck =
    policy.command === 'ALL' || policy.command === 'UPDATE' || policy.command === 'INSERT';
  const problems: string[] = [];

  for (const [clause, expression, needed] of [
    ['USING', policy.using, needsUsing],
    ['WITH CHECK', policy.withCheck, needsCheck],
  ] as const) {
    if (!needed) {
      continue;
    }

    if (expression === null) {
      problems.push(
        clause === 'WITH CHECK'
          ? 'has no WITH CHECK clause (PostgreSQL then reuses USING for new rows, but the audit requires it spelled out so that widening reads never widens writes)'
          : 'has no USING clause',
      );
    } else if (
      !isAlwaysTrue(expression) &&
      !constrainsToTenant(expression, column, tenantSetting)
    ) {
      problems.push(
        `has ${clause} ${expression}, which does not pin ${column} to ${tenantSetting}`,
      );
    }
  }

  return problems;
}

/**
 * Reports permissive policies for the application role on tenant-owned tables that do not pin the
 * tenant column to current_setting('app.tenant_id') in USING (which rows it reads and changes) and
 * in WITH CHECK (which rows it may write). Always-true clauses are left to checkAlwaysTruePolicies.
 */
export function checkTenantPredicates({ catalog }: CheckContext): Finding[] {
  const byTable = appPermissivePolicies(catalog.policies);

  return tenantTables(catalog.relations).flatMap(({ table, column }) =>
    (byTable.get(table.oid) ?? []).flatMap((policy) => {
      const problems = predicateProblems(policy, column);

      return problems.length === 0
        ? []
        : [
            {
              check: 'policy-tenant-predicate',
              severity: 'error' as const,
              object: `policy ${policy.name} on ${table.name}`,
              problem: `The ${policy.command} policy ${problems.join('; it ')}.`,
              fix: `Recreate it with both clauses: DROP POLICY ${policy.name} ON ${table.name}; ${policyFix(table.name, column)}`,
            },
          ];
    }),
  );
}

/**
 * Reports tables where two permissive policies apply to the application role for one command.
 * PostgreSQL ORs permissive policies, so a second one can only let more rows through. With one
 * permissive policy per command the tenant predicate is the whole rule. Extra conditions belong in
 * AS RESTRICTIVE policies, which are ANDed.
 */
export function checkPermissiveOverlap({ catalog }: CheckContext): Finding[] {
  const findings: Finding[] = [];
  const byTable = appPermissivePolicies(catalog.policies);

  for (const table of catalog.relations) {
    const policies = byTable.get(table.oid) ?? [];
    const overlaps = dataCommands.flatMap((command) => {
      const names = policies
        .filter((policy) => covers(policy, command))
        .map((policy) => policy.name);

      return names.length > 1 ? [`${command} (${names.join(', ')})`] : [];
    });

    if (overlaps.length > 0) {
      findings.push({
        check: 'policy-permissive-overlap',
        severity: 'error',
        object: table.name,
        problem: `Several permissive policies apply to the application role and are ORed: ${overlaps.join('; ')}.`,
        fix: 'Merge them into one permissive policy per command, or recreate the extra ones AS RESTRICTIVE so they narrow instead of widen.',
      });
    }
  }

  return findings;
}
