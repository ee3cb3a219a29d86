import type { Client } from 'pg';

export type RelationKind = 'table' | 'view' | 'materialized view';

/** A table or view in one of the audited schemas. */
export interface Relation {
  oid: number;
  /** Schema-qualified and quoted where needed, ready to paste into SQL. */
  name: string;
  unqualifiedName: string;
  kind: RelationKind;
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  securityInvoker: boolean;
  hasTenantColumn: boolean;
  isTenantsTable: boolean;
  /** Whether the application role, or a role it can become, holds any privilege on it. */
  appHasAccess: boolean;
  /** The Supabase API roles that hold any privilege on it. */
  supabaseGrantees: string[];
  /** Privileges of the resolver role on it, null when that role does not exist. */
  resolver: { tableWideSelect: boolean; canWrite: boolean; readableColumns: string[] } | null;
}

const anyTablePrivilege = 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER';
const anyColumnPrivilege = 'SELECT, INSERT, UPDATE, REFERENCES';

const relationsQuery = `
  SELECT c.oid, format('%I.%I', n.nspname, c.relname) AS name, c.relkind AS kind,
    c.relname AS unqualified_name,
    c.relrowsecurity AS row_security, c.relforcerowsecurity AS force_row_security,
    COALESCE(c.reloptions, '{}')::text[] AS options,
    EXISTS (
      SELECT 1 FROM pg_attribute AS a
      WHERE a.attrelid = c.oid AND a.attname = $5 AND a.attnum > 0 AND NOT a.attisdropped
    ) AS has_tenant_column,
    EXISTS (
      SELECT 1 FROM unnest($2::oid[]) AS r(oid)
      WHERE has_table_privilege(r.oid, c.oid, '${anyTablePrivilege}')
        OR has_any_column_privilege(r.oid, c.oid, '${anyColumnPrivilege}')
    ) AS app_has_access,
    ARRAY(
      SELECT r.rolname FROM pg_roles AS r
      WHERE r.rolname = ANY($3::text[])
        AND (has_table_privilege(r.oid, c.oid, '${anyTablePrivilege}')
          OR has_any_column_privilege(r.oid, c.oid, '${anyColumnPrivilege}'))
      ORDER BY r.rolname
    )::text[] AS supabase_grantees,
    CASE WHEN $4::oid IS NOT NULL THEN has_table_privilege($4::oid, c.oid, 'SELECT') END
      AS resolver_table_wide_select,
    CASE WHEN $4::oid IS NOT NULL THEN
      has_table_privilege($4::oid, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
        OR has_any_column_privilege($4::oid, c.oid, 'INSERT, UPDATE, REFERENCES')
    END AS resolver_can_write,
    ARRAY(
      SELECT a.attname FROM pg_attribute AS a
      WHERE $4::oid IS NOT NULL AND a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        AND has_column_privilege($4::oid, c.oid, a.attnum, 'SELECT')
      ORDER BY a.attnum
    )::text[] AS resolver_readable_columns
  FROM pg_class AS c
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'v', 'm')
  ORDER BY n.nspname, c.relname`;

interface RelationRow {
  oid: number;
  name: string;
  unqualified_name: string;
  kind: 'r' | 'p' | 'v' | 'm';
  row_security: boolean;
  force_row_security: boolean;
  options: string[];
  has_tenant_column: boolean;
  app_has_access: boolean;
  supabase_grantees: string[];
  resolver_table_wide_select: boolean | null;
  resolver_can_write: boolean | null;
  resolver_readable_columns: string[];
}

const kinds: Record<RelationRow['kind'], RelationKind> = {
  r: 'table',
  p: 'table',
  v: 'view',
  m: 'materialized view',
};

// Any spelling PostgreSQL accepts as true for a boolean reloption.
const securityInvokerOption = /^security_invoker=(true|on|yes|1|t|y)$/i;

export async function readRelations(
  client: Client,
  options: {
    schemas: string[];
    reachableRoleOids: number[];
    supabaseRoles: string[];
    resolverRoleOid: number | null;
    tenantColumn: string;
    tenantsTable: string;
  },
): Promise<Relation[]> {
  const result = await client.query<RelationRow>(relationsQuery, [
    options.schemas,
    options.reachableRoleOids,
    options.supabaseRoles,
    options.resolverRoleOid,
    options.tenantColumn,
  ]);

  return result.rows.map((row) => ({
    oid: row.oid,
    name: row.name,
    unqualifiedName: row.unqualified_name,
    kind: kinds[row.kind],
    rowSecurity: row.row_security,
    forceRowSecurity: row.force_row_security,
    securityInvoker: row.options.some((option) => securityInvokerOption.test(option)),
    hasTenantColumn: row.has_tenant_column,
    isTenantsTable: kinds[row.kind] === 'table' && row.unqualified_name === options.tenantsTable,
    appHasAccess: row.app_has_access,
    supabaseGrantees: row.supabase_grantees,
    resolver:
      row.resolver_table_wide_select === null || row.resolver_can_write === null
        ? null
        : {
            tableWideSelect: row.resolver_table_wide_select,
            canWrite: row.resolver_can_write,
            readableColumns: row.resolver_readable_columns,
          },
  }));
}
