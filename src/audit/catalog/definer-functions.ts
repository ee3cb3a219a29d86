import type { Client } from 'pg';

/** A SECURITY DEFINER function: it runs with its owner's rights, whoever calls it. */
export interface DefinerFunction {
  /** Schema-qualified name with argument types, ready to paste into ALTER FUNCTION. */
  name: string;
  schema: string;
  /** The SET clauses of the function, such as "search_path=pg_catalog, pg_temp". */
  settings: string[];
  volatility: 'immutable' | 'stable' | 'volatile';
  owner: string;
  ownerCanLogin: boolean;
  ownerIsSuperuser: boolean;
  ownerBypassesRls: boolean;
  publicCanExecute: boolean;
  /** Whether the application role, or a role it can become, may call it (EXECUTE and schema USAGE). */
  appCanExecute: boolean;
  /** Tables in the audited schemas that the owner may insert into, update, delete from or truncate. */
  ownerWritableTables: string[];
  /** Each of those rights on its own, to tell a delete-only owner from one that may change rows. */
  ownerWrites: TableWrite[];
}

/** One write right of a function's owner on a table in the audited schemas. */
export interface TableWrite {
  /** Schema-qualified and quoted where needed, as in the other findings. */
  name: string;
  /** The table's name without its schema. */
  table: string;
  privilege: 'INSERT' | 'UPDATE' | 'DELETE' | 'TRUNCATE';
}

// A NULL proacl means the default ACL, which grants EXECUTE to PUBLIC.
const definerFunctionsQuery = `
  SELECT format('%I.%I(%s)', n.nspname, p.proname, pg_get_function_identity_arguments(p.oid))
      AS name,
    n.nspname AS schema, COALESCE(p.proconfig, '{}')::text[] AS settings,
    p.provolatile AS volatility,
    o.rolname AS owner, o.rolcanlogin AS owner_can_login, o.rolsuper AS owner_is_superuser,
    o.rolbypassrls AS owner_bypasses_rls,
    (p.proacl IS NULL OR EXISTS (
      SELECT 1 FROM aclexplode(p.proacl) AS acl
      WHERE acl.grantee = 0 AND acl.privilege_type = 'EXECUTE'
    )) AS public_can_execute,
    EXISTS (
      SELECT 1 FROM unnest($2::oid[]) AS r(oid)
      WHERE has_function_privilege(r.oid, p.oid, 'EXECUTE')
        AND has_schema_privilege(r.oid, n.oid, 'USAGE')
    ) AS app_can_execute,
    (
      SELECT COALESCE(
        json_agg(json_build_object(
          'name', format('%I.%I', tn.nspname, t.relname), 'table', t.relname,
          'privilege', w.privilege
        ) ORDER BY tn.nspname, t.relname, w.privilege),
        '[]'::json
      )
      FROM pg_class AS t
      JOIN pg_namespace AS tn ON tn.oid = t.relnamespace
      CROSS JOIN unnest(ARRAY['INSERT', 'UPDATE', 'DELETE', 'TRUNCATE']) AS w(privilege)
      WHERE tn.nspname = ANY($1::text[]) AND t.relkind IN ('r', 'p')
        AND (has_table_privilege(p.proowner, t.oid, w.privilege)
          OR (w.privilege IN ('INSERT', 'UPDATE')
            AND has_any_column_privilege(p.proowner, t.oid, w.privilege)))
    ) AS owner_writes
  FROM pg_proc AS p
  JOIN pg_namespace AS n ON n.oid = p.pronamespace
  JOIN pg_roles AS o ON o.oid = p.proowner
  WHERE p.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  ORDER BY 1`;

interface DefinerFunctionRow {
  name: string;
  schema: string;
  settings: string[];
  volatility: 'i' | 's' | 'v';
  owner: string;
  owner_can_login: boolean;
  owner_is_superuser: boolean;
  owner_bypasses_rls: boolean;
  public_can_execute: boolean;
  app_can_execute: boolean;
  owner_writes: TableWrite[];
}

const volatilities = { i: 'immutable', s: 'stable', v: 'volatile' } as const;

/** Reads every SECURITY DEFINER function outside the system schemas. */
export async function readDefinerFunctions(
  client: Client,
  options: { schemas: string[]; reachableRoleOids: number[] },
): Promise<DefinerFunction[]> {
  const result = await client.query<DefinerFunctionRow>(definerFunctionsQuery, [
    options.schemas,
    options.reachableRoleOids,
  ]);

  return result.rows.map((row) => ({
    name: row.name,
    schema: row.schema,
    settings: row.settings,
    volatility: volatilities[row.volatility],
    owner: row.owner,
    ownerCanLogin: row.owner_can_login,
    ownerIsSuperuser: row.owner_is_superuser,
    ownerBypassesRls: row.owner_bypasses_rls,
    publicCanExecute: row.public_can_execute,
    appCanExecute: row.app_can_execute,
    ownerWritableTables: [...new Set(row.owner_writes.map((write) => write.name))],
    ownerWrites: row.owner_writes,
  }));
}
