import type { Client } from 'pg';

export type PolicyCommand = 'ALL' | 'SELECT' | 'INSERT' | 'UPDATE' | 'DELETE';

export interface Policy {
  tableOid: number;
  table: string;
  name: string;
  command: PolicyCommand;
  permissive: boolean;
  /** Role names as CREATE POLICY ... TO lists them; PUBLIC when the policy has no TO clause. */
  roles: string[];
  /** Whether the policy applies to PUBLIC or to the application role or a role it can become. */
  appliesToApp: boolean;
  /** Whether the policy is TO the resolver role alone. */
  onlyForResolver: boolean;
  /** USING as pg_get_expr prints it, null when absent. */
  using: string | null;
  /** WITH CHECK as pg_get_expr prints it, null when absent. */
  withCheck: string | null;
  /** Columns of the table that USING or WITH CHECK read. */
  columns: string[];
}

const policiesQuery = `
  SELECT p.polrelid AS table_oid, format('%I.%I', n.nspname, c.relname) AS table_name,
    p.polname AS name, p.polcmd AS command, p.polpermissive AS permissive,
    ARRAY(
      SELECT CASE WHEN r.oid = 0 THEN 'PUBLIC' ELSE r.oid::regrole::text END
      FROM unnest(p.polroles) AS r(oid)
    )::text[] AS roles,
    (0 = ANY(p.polroles) OR p.polroles && $2::oid[]) AS applies_to_app,
    COALESCE(p.polroles = ARRAY[$3::oid], false) AS only_for_resolver,
    pg_get_expr(p.polqual, p.polrelid) AS using_expression,
    pg_get_expr(p.polwithcheck, p.polrelid) AS check_expression,
    ARRAY(
      SELECT DISTINCT a.attname
      FROM pg_depend AS d
      JOIN pg_attribute AS a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
      WHERE d.classid = 'pg_policy'::regclass AND d.objid = p.oid
        AND d.refobjid = p.polrelid AND d.refobjsubid > 0
    )::text[] AS columns
  FROM pg_policy AS p
  JOIN pg_class AS c ON c.oid = p.polrelid
  JOIN pg_namespace AS n ON n.oid = c.relnamespace
  WHERE n.nspname = ANY($1::text[])
  ORDER BY n.nspname, c.relname, p.polname`;

interface PolicyRow {
  table_oid: number;
  table_name: string;
  name: string;
  command: 'r' | 'a' | 'w' | 'd' | '*';
  permissive: boolean;
  roles: string[];
  applies_to_app: boolean;
  only_for_resolver: boolean;
  using_expression: string | null;
  check_expression: string | null;
  columns: string[];
}

const commands: Record<PolicyRow['command'], PolicyCommand> = {
  r: 'SELECT',
  a: 'INSERT',
  w: 'UPDATE',
  d: 'DELETE',
  '*': 'ALL',
};

export async function readPolicies(
  client: Client,
  options: { schemas: string[]; reachableRoleOids: number[]; resolverRoleOid: number | null },
): Promise<Policy[]> {
  const result = await client.query<PolicyRow>(policiesQuery, [
    options.schemas,
    options.reachableRoleOids,
    options.resolverRoleOid,
  ]);

  return result.rows.map((row) => ({
    tableOid: row.table_oid,
    table: row.table_name,
    name: row.name,
    command: commands[row.command],
    permissive: row.permissive,
    roles: row.roles,
    appliesToApp: row.applies_to_app,
    onlyForResolver: row.only_for_resolver,
    using: row.using_expression,
    withCheck: row.check_expression,
    columns: row.columns,
  }));
}
