import { tenantColumn } from '../audit-target';
import type { Index } from '../catalog/indexes';
import type { Relation } from '../catalog/relations';
import type { Finding } from '../finding';
import type { CheckContext } from './check-context';
import { quoteIdentifier } from './check-context';

/** Indexes the service's list queries need: the conversation inbox and the pipeline board. */
export const requiredIndexes = [
  { table: 'conversations', columns: ['tenant_id', 'created_at'] },
  { table: 'conversations', columns: ['tenant_id', 'phone', 'created_at'] },
  { table: 'opportunities', columns: ['tenant_id', 'pipeline_id', 'status'] },
];

function sameSet(left: string[], right: string[]): boolean {
  return left.length === right.length && left.every((column) => right.includes(column));
}

/**
 * Reports whether an index can serve lookups by these columns: its first key columns are exactly
 * they, in any order, and on a tenant-owned table tenant_id comes first.
 */
function coversLeading(index: Index, columns: string[], isTenantOwned: boolean): boolean {
  const wanted = isTenantOwned ? [...new Set([tenantColumn, ...columns])] : columns;

  if (!index.isUsable || (isTenantOwned && index.columns[0] !== tenantColumn)) {
    return false;
  }

  return sameSet(index.columns.slice(0, wanted.length), wanted);
}

function indexColumns(columns: string[], isTenantOwned: boolean): string {
  const ordered = isTenantOwned
    ? [tenantColumn, ...columns.filter((column) => column !== tenantColumn)]
    : columns;

  return ordered.map(quoteIdentifier).join(', ');
}

function isTenantOwned(table: Relation): boolean {
  return table.kind === 'table' && table.hasTenantColumn && !table.isTenantsTable;
}

/**
 * Reports foreign keys without an index whose leading columns are the key's columns, led by
 * tenant_id on tenant-owned tables. Without it, deleting or updating a referenced row scans the whole
 * referencing table, and a tenant-scoped lookup by the key cannot use an index.
 */
export function checkForeignKeyIndexes({ catalog }: CheckContext): Finding[] {
  return catalog.foreignKeys.flatMap((foreignKey): Finding[] => {
    const table = catalog.relations.find((relation) => relation.oid === foreignKey.tableOid);

    if (!table) {
      return [];
    }

    const tenantOwned = isTenantOwned(table);
    const indexes = catalog.indexes.filter((index) => index.tableOid === table.oid);

    if (indexes.some((index) => coversLeading(index, foreignKey.columns, tenantOwned))) {
      return [];
    }

    return [
      {
        check: 'index-foreign-key',
        severity: 'error',
        object: `foreign key ${foreignKey.name} on ${table.name}`,
        problem: `No valid, non-partial index starts with (${indexColumns(foreignKey.columns, tenantOwned)}).`,
        fix: `CREATE INDEX ON ${table.name} (${indexColumns(foreignKey.columns, tenantOwned)});`,
      },
    ];
  });
}

/**
 * Reports policy columns without an index. PostgreSQL adds the policy to every query on the table,
 * so each column it reads needs an index. On a tenant-owned table that index starts with tenant_id
 * and contains the column. Elsewhere (the tenants table, keyed by id) it starts with the column.
 */
export function checkPolicyColumnIndexes({ catalog }: CheckContext): Finding[] {
  const findings: Finding[] = [];

  for (const table of catalog.relations) {
    const columns = new Set(
      catalog.policies
        .filter((policy) => policy.tableOid === table.oid)
        .flatMap((policy) => policy.columns),
    );
    const indexes = catalog.indexes.filter(
      (index) => index.isUsable && index.tableOid === table.oid,
    );
    const tenantOwned = isTenantOwned(table);

    for (const column of columns) {
      const covered = tenantOwned
        ? indexes.some(
            (index) => index.columns[0] === tenantColumn && index.columns.includes(column),
          )
        : indexes.some((index) => index.columns[0] === column);

      if (!covered) {
        findings.push({
          check: 'index-policy-column',
          severity: 'error',
          object: `${table.name} (${column})`,
          problem: tenantOwned
            ? `A policy reads ${column}, but no valid, non-partial index starts with tenant_id and contains it.`
            : `A policy reads ${column}, but no valid, non-partial index starts with it.`,
          fix: `CREATE INDEX ON ${table.name} (${indexColumns([column], tenantOwned)});`,
        });
      }
    }
  }

  return findings;
}

/** Reports entries of requiredIndexes that no index has as its leading key columns, in order. */
export function checkRequiredIndexes({ catalog, target }: CheckContext): Finding[] {
  return requiredIndexes.flatMap((required): Finding[] => {
    const table = catalog.relations.find(
      (relation) => relation.kind === 'table' && relation.unqualifiedName === required.table,
    );
    const object = `${table?.name ?? required.table} (${required.columns.join(', ')})`;

    if (!table) {
      return [
        {
          check: 'index-required',
          severity: 'error',
          object,
          problem: `Table ${required.table} does not exist in schemas ${target.schemas.join(', ')}.`,
          fix: 'Run the migrations, or pass the schema that holds it with --schemas.',
        },
      ];
    }

    const exists = catalog.indexes.some(
      (index) =>
        index.isUsable &&
        index.tableOid === table.oid &&
        required.columns.every((column, position) => index.columns[position] === column),
    );

    return exists
      ? []
      : [
          {
            check: 'index-required',
            severity: 'error',
            object,
            problem: `No valid, non-partial index starts with (${required.columns.join(', ')}).`,
            fix: `CREATE INDEX ON ${table.name} (${required.columns.join(', ')}); in a new migration.`,
          },
        ];
  });
}
