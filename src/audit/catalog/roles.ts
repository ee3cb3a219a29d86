import type { Client } from 'pg';

export interface TablePrivilege {
  privilege: 'TRUNCATE' | 'TRIGGER';
  table: string;
}

/** A role the application role can become, with everything about it that could weaken isolation. */
export interface ReachableRole {
  oid: number;
  name: string;
  /** The chain of memberships from the application role to this role, both included. */
  membershipPath: string[];
  isSuperuser: boolean;
  bypassesRls: boolean;
  canCreateRole: boolean;
  canCreateDatabase: boolean;
  hasReplication: boolean;
  ownedObjects: string[];
  schemasWithCreate: string[];
  canCreateInDatabase: boolean;
  /** TRUNCATE and TRIGGER rights on tables in the audited schemas: both get around RLS. */
  riskyTablePrivileges: TablePrivilege[];
}

export interface ResolverRole {
  oid: number;
  name: string;
  canLogin: boolean;
  isSuperuser: boolean;
  bypassesRls: boolean;
}

export interface RoleFacts {
  /** The application role first, then every role it is a member of, directly or transitively. */
  reachable: ReachableRole[];
  resolver: ResolverRole | null;
  /** The Supabase API roles (anon, authenticated) that exist on this server. */
  supabaseRoles: string[];
}

// Membership is followed through pg_auth_members rather than pg_has_role(), because pg_has_role()
// reports every role as reachable for a superuser and would bury the one finding that matters.
// The path is the shortest chain of grants from the application role, for the fix hint.
const reachableRolesQuery = `
  WITH RECURSIVE reach(oid, path) AS (
    SELECT oid, ARRAY[rolname::text] FROM pg_roles WHERE rolname = $1
    UNION ALL
    SELECT m.roleid, reach.path || r.rolname::text
    FROM pg_auth_members AS m
    JOIN reach ON m.member = reach.oid
    JOIN pg_roles AS r ON r.oid = m.roleid
    WHERE r.rolname <> ALL (reach.path)
  ),
  shortest AS (
    SELECT DISTINCT ON (oid) oid, path FROM reach ORDER BY oid, cardinality(path)
  )
  SELECT r.oid, r.rolname AS name, shortest.path AS membership_path,
    r.rolsuper AS is_superuser, r.rolbypassrls AS bypasses_rls, r.rolcreaterole AS can_create_role,
    r.rolcreatedb AS can_create_database, r.rolreplication AS has_replication,
    ARRAY(
      SELECT pg_describe_object(d.classid, d.objid, d.objsubid)
      FROM pg_shdepend AS d
      WHERE d.refclassid = 'pg_authid'::regclass AND d.refobjid = r.oid AND d.deptype = 'o'
        AND d.dbid IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))
      ORDER BY 1
    )::text[] AS owned_objects,
    ARRAY(
      SELECT quote_ident(n.nspname) FROM pg_namespace AS n
      WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        AND has_schema_privilege(r.oid, n.oid, 'CREATE')
      ORDER BY 1
    )::text[] AS schemas_with_create,
    has_database_privilege(r.oid, current_database(), 'CREATE') AS can_create_in_database,
    (
      SELECT COALESCE(
        json_agg(json_build_object(
          'privilege', p.privilege, 'table', format('%I.%I', n.nspname, c.relname)
        ) ORDER BY n.nspname, c.relname, p.privilege),
        '[]'::json
      )
      FROM pg_class AS c
      JOIN pg_namespace AS n ON n.oid = c.relnamespace
      CROSS JOIN unnest(ARRAY['TRUNCATE', 'TRIGGER']) AS p(privilege)
      WHERE n.nspname = ANY($2::text[]) AND c.relkind IN ('r', 'p')
        AND has_table_privilege(r.oid, c.oid, p.privilege)
    ) AS risky_table_privileges
  FROM shortest JOIN pg_roles AS r ON r.oid = shortest.oid
  ORDER BY cardinality(shortest.path), r.rolname`;

interface ReachableRoleRow {
  oid: number;
  name: string;
  membership_path: string[];
  is_superuser: boolean;
  bypasses_rls: boolean;
  can_create_role: boolean;
  can_create_database: boolean;
  has_replication: boolean;
  owned_objects: string[];
  schemas_with_create: string[];
  can_create_in_database: boolean;
  risky_table_privileges: TablePrivilege[];
}

export async function readRoleFacts(
  client: Client,
  options: { appRole: string; schemas: string[]; resolverRole: string; supabaseRoles: string[] },
): Promise<RoleFacts> {
  const reachable = await client.query<ReachableRoleRow>(reachableRolesQuery, [
    options.appRole,
    options.schemas,
  ]);
  const resolver = await client.query<ResolverRole>(
    `SELECT oid, rolname AS name, rolcanlogin AS "canLogin", rolsuper AS "isSuperuser",
       rolbypassrls AS "bypassesRls"
     FROM pg_roles WHERE rolname = $1`,
    [options.resolverRole],
  );
  const supabase = await client.query<{ rolname: string }>(
    'SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[]) ORDER BY rolname',
    [options.supabaseRoles],
  );

  return {
    reachable: reachable.rows.map((row) => ({
      oid: row.oid,
      name: row.name,
      membershipPath: row.membership_path,
      isSuperuser: row.is_superuser,
      bypassesRls: row.bypasses_rls,
      canCreateRole: row.can_create_role,
      canCreateDatabase: row.can_create_database,
      hasReplication: row.has_replication,
      ownedObjects: row.owned_objects,
      schemasWithCreate: row.schemas_with_create,
      canCreateInDatabase: row.can_create_in_database,
      riskyTablePrivileges: row.risky_table_privileges,
    })),
    resolver: resolver.rows[0] ?? null,
    supabaseRoles: supabase.rows.map((row) => row.rolname),
  };
}
