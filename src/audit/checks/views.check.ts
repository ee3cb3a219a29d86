import type { Finding } from '../finding';
import type { CheckContext } from './check-context';

// security_invoker exists for views since PostgreSQL 15.
const securityInvokerVersion = 150000;

/**
 * Reports views in the audited schemas that are not security_invoker. Such a view applies the
 * policies of the tables beneath it for the view's owner rather than for the role that queries it.
 * Materialized views are reported too: they store rows, and row-level security does not apply to
 * them.
 */
export function checkViews({ catalog }: CheckContext): Finding[] {
  return catalog.relations.flatMap((relation): Finding[] => {
    if (relation.kind === 'materialized view') {
      return [
        {
          check: 'view-security-invoker',
          severity: 'error',
          object: relation.name,
          problem:
            'A materialized view stores rows from every tenant, and row-level security does not apply to it.',
          fix: `DROP MATERIALIZED VIEW ${relation.name}; or move it out of the application schemas and revoke the application role's access.`,
        },
      ];
    }

    if (relation.kind !== 'view' || relation.securityInvoker) {
      return [];
    }

    return [
      {
        check: 'view-security-invoker',
        severity: 'error',
        object: relation.name,
        problem:
          "The view runs with its owner's rights, so the policies of the tables beneath it are checked for the owner, not for the caller.",
        fix:
          catalog.serverVersion >= securityInvokerVersion
            ? `ALTER VIEW ${relation.name} SET (security_invoker = true);`
            : 'Upgrade to PostgreSQL 15 or later and set security_invoker, or replace the view with a query in the service.',
      },
    ];
  });
}
