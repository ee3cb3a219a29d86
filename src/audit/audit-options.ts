import path from 'node:path';
import { parseArgs } from 'node:util';

import type { AuditTarget } from './audit-target';

export interface AuditCommand {
  target: AuditTarget;
  json: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

// Resolves from src/audit and from dist/audit alike.
const defaultMigrationsDir = path.resolve(__dirname, '..', '..', 'prisma', 'migrations');

export const usage = `Usage: npm run audit:db -- [options]

Checks a PostgreSQL database for tenant-isolation and indexing mistakes and exits with status 1
when any finding is an error, 2 when the audit could not run.

Options:
  --admin-url <url>          Connection string of a role that can read the catalog and
                             _prisma_migrations (default: $AUDIT_DATABASE_URL; required)
  --app-role <name>          Role the service connects as (default: aias_app)
  --schemas <a,b>            Comma-separated application schemas to check (default: public)
  --resolver-role <name>     NOLOGIN role of the tenant-resolution functions
                             (default: aias_resolver)
  --definer-schema <name>    The only schema allowed to hold read-only SECURITY DEFINER
                             functions (default: tenant_resolution)
  --retention-role <name>    NOLOGIN role of the retention functions (default: aias_retention)
  --retention-schema <name>  Schema of the retention functions, which may delete expired rows
                             (default: retention)
  --supabase-roles <a,b>     Roles whose presence marks Supabase (default: anon,authenticated)
  --migrations-dir <path>    The prisma/migrations folder (default: ${path.relative(process.cwd(), defaultMigrationsDir) || '.'})
  --migrations-schema <name> Schema of _prisma_migrations (default: the first of --schemas)
  --json                     Print the report as JSON instead of a table
  --help                     Print this help`;

function list(value: string, option: string): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);

  if (items.length === 0) {
    throw new UsageError(`${option} is empty: give at least one name.`);
  }

  return items;
}

function name(value: string, option: string): string {
  if (value.trim().length === 0 || value.length > 63) {
    throw new UsageError(`${option} must be a name of 1 to 63 characters, got "${value}".`);
  }

  return value.trim();
}

/** Parses the command line; the admin URL may come from AUDIT_DATABASE_URL instead. Returns null for --help. */
export function parseAuditCommand(
  argv: string[],
  env: Record<string, string | undefined>,
): AuditCommand | null {
  let values;

  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        'admin-url': { type: 'string' },
        'app-role': { type: 'string', default: 'aias_app' },
        schemas: { type: 'string', default: 'public' },
        'resolver-role': { type: 'string', default: 'aias_resolver' },
        'definer-schema': { type: 'string', default: 'tenant_resolution' },
        'retention-role': { type: 'string', default: 'aias_retention' },
        'retention-schema': { type: 'string', default: 'retention' },
        'supabase-roles': { type: 'string', default: 'anon,authenticated' },
        'migrations-dir': { type: 'string', default: defaultMigrationsDir },
        'migrations-schema': { type: 'string' },
        json: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }

  if (values.help) {
    return null;
  }

  const adminUrl = values['admin-url'] ?? env.AUDIT_DATABASE_URL;

  if (!adminUrl) {
    throw new UsageError('Missing the database URL: pass --admin-url or set AUDIT_DATABASE_URL.');
  }

  if (!/^postgres(ql)?:\/\//.test(adminUrl)) {
    throw new UsageError('The database URL must start with postgresql:// or postgres://.');
  }

  const schemas = list(values.schemas, '--schemas').map((schema) => name(schema, '--schemas'));

  return {
    json: values.json,
    target: {
      adminUrl,
      appRole: name(values['app-role'], '--app-role'),
      schemas,
      resolverRole: name(values['resolver-role'], '--resolver-role'),
      definerSchema: name(values['definer-schema'], '--definer-schema'),
      retentionRole: name(values['retention-role'], '--retention-role'),
      retentionSchema: name(values['retention-schema'], '--retention-schema'),
      supabaseRoles: list(values['supabase-roles'], '--supabase-roles'),
      migrationsDir: path.resolve(values['migrations-dir']),
      migrationsSchema: name(values['migrations-schema'] ?? schemas[0], '--migrations-schema'),
    },
  };
}
