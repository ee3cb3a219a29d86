import type { ReachableRole } from '../catalog/roles';
import type { Finding } from '../finding';
import type { CheckContext } from './check-context';
import { quoteIdentifier } from './check-context';

/** One right that lets a role get around row-level security or change the schema. */
interface RoleRisk {
  check:
    'app-role-attributes' | 'app-role-ownership' | 'app-role-ddl' | 'app-role-table-privileges';
  problem: string;
  fix: string;
}

const attributes = [
  ['isSuperuser', 'SUPERUSER', 'skips every privilege check and every policy'],
  ['bypassesRls', 'BYPASSRLS', 'ignores every row-level security policy'],
  [
    'canCreateRole',
    'CREATEROLE',
    'can create roles and, before PostgreSQL 16, grant itself any non-superuser role, such as the table owner',
  ],
  ['canCreateDatabase', 'CREATEDB', 'can create databases, a DDL right'],
  [
    'hasReplication',
    'REPLICATION',
    "can stream the write-ahead log, which carries every tenant's rows",
  ],
] as const;

// Predefined roles that open every table or the server's files to their members.
const riskyPredefinedRoles: Record<string, string> = {
  pg_read_all_data: 'may SELECT every table, so tables without RLS are open to it',
  pg_write_all_data: 'may write every table, so tables without RLS are open to it',
  pg_read_server_files: "reads the server's files",
  pg_write_server_files: "writes the server's files",
  pg_execute_server_program: 'runs programs on the server',
};

function roleRisks(role: ReachableRole, database: string): RoleRisk[] {
  const name = quoteIdentifier(role.name);
  const risks: RoleRisk[] = attributes
    .filter(([field]) => role[field])
    .map(([, attribute, effect]) => ({
      check: 'app-role-attributes',
      problem: `has ${attribute}, so it ${effect}`,
      fix: `ALTER ROLE ${name} NO${attribute};`,
    }));

  for (const object of role.ownedObjects) {
    risks.push({
      check: 'app-role-ownership',
      problem: `owns ${object}, so it may alter or drop it and, for a table, switch RLS off`,
      fix: `REASSIGN OWNED BY ${name} TO <the migration role>; or ALTER ... OWNER TO <the migration role> for this object.`,
    });
  }

  for (const schema of role.schemasWithCreate) {
    risks.push({
      check: 'app-role-ddl',
      problem: `may CREATE objects in schema ${schema} (granted to it or to PUBLIC)`,
      fix: `REVOKE CREATE ON SCHEMA ${schema} FROM ${name}; REVOKE CREATE ON SCHEMA ${schema} FROM PUBLIC;`,
    });
  }

  if (role.canCreateInDatabase) {
    risks.push({
      check: 'app-role-ddl',
      problem: `may CREATE schemas in database ${database}`,
      fix: `REVOKE CREATE ON DATABASE ${quoteIdentifier(database)} FROM ${name}; REVOKE CREATE ON DATABASE ${quoteIdentifier(database)} FROM PUBLIC;`,
    });
  }

  for (const { privilege, table } of role.riskyTablePrivileges) {
    risks.push({
      check: 'app-role-table-privileges',
      problem:
        privilege === 'TRUNCATE'
          ? `holds TRUNCATE on ${table}, which ignores row-level security and empties the table for every tenant`
          : `holds TRIGGER on ${table}, so it can attach code that runs with the rights of whoever writes the table next`,
      fix: `REVOKE ${privilege} ON ${table} FROM ${name};`,
    });
  }

  return risks;
}

function membershipFinding(role: ReachableRole, appRole: string, database: string): Finding | null {
  const reasons = roleRisks(role, database).map((risk) => risk.problem);
  const predefined = riskyPredefinedRoles[role.name];

  if (predefined) {
    reasons.push(`is the predefined role that ${predefined}`);
  }

  if (reasons.length === 0) {
    return null;
  }

  const [member, firstHop] = role.membershipPath;

  return {
    check: 'app-role-membership',
    severity: 'error',
    object: `role ${role.name}`,
    problem: `${appRole} can SET ROLE to ${role.name} (${role.membershipPath.join(' -> ')}), which ${reasons.join('; ')}.`,
    fix: `REVOKE ${quoteIdentifier(firstHop)} FROM ${quoteIdentifier(member)}; or take those rights away from ${role.name}.`,
  };
}

/**
 * Reports every right of the application role that gets around RLS or changes the schema:
 * SUPERUSER, BYPASSRLS, CREATEROLE, CREATEDB, REPLICATION, owned objects or databases, CREATE on a
 * schema or on the database, and TRUNCATE or TRIGGER on an audited table. The same rights on any
 * role it is a member of, directly or through other roles, are reported as memberships.
 */
export function checkAppRole({ catalog, target }: CheckContext): Finding[] {
  const [app, ...others] = catalog.roles.reachable;

  if (!app) {
    return [
      {
        check: 'app-role-attributes',
        severity: 'error',
        object: `role ${target.appRole}`,
        problem: `The application role ${target.appRole} does not exist, so nothing about it can be checked.`,
        fix: 'Pass the role the service connects as with --app-role, or run the migrations that create it.',
      },
    ];
  }

  const ownFindings: Finding[] = roleRisks(app, catalog.database).map((risk) => ({
    check: risk.check,
    severity: 'error',
    object: `role ${app.name}`,
    problem: `The application role ${risk.problem}.`,
    fix: risk.fix,
  }));
  const memberships = others
    .map((role) => membershipFinding(role, app.name, catalog.database))
    .filter((finding): finding is Finding => finding !== null);

  return [...ownFindings, ...memberships];
}
