import type { Client } from 'pg';

import { tenantColumn, tenantsTable } from '../audit-target';
import type { AuditTarget } from '../audit-target';
import { readAppliedMigrations } from './applied-migrations';
import type { AppliedMigration } from './applied-migrations';
import { readDefinerFunctions } from './definer-functions';
import type { DefinerFunction } from './definer-functions';
import { readForeignKeys, readIndexes } from './indexes';
import type { ForeignKey, Index } from './indexes';
import { readPolicies } from './policies';
import type { Policy } from './policies';
import { readRelations } from './relations';
import type { Relation } from './relations';
import { readRoleFacts } from './roles';
import type { RoleFacts } from './roles';

/** Everything the checks look at, read in one snapshot so the checks themselves need no database. */
export interface Catalog {
  database: string;
  serverVersion: number;
  roles: RoleFacts;
  relations: Relation[];
  policies: Policy[];
  indexes: Index[];
  foreignKeys: ForeignKey[];
  definerFunctions: DefinerFunction[];
  /** Rows of _prisma_migrations, null when the table does not exist. */
  appliedMigrations: AppliedMigration[] | null;
}

export class MissingSchemaError extends Error {
  override readonly name = 'MissingSchemaError';
}

async function assertSchemasExist(client: Client, schemas: string[]): Promise<void> {
  const result = await client.query<{ nspname: string }>(
    'SELECT nspname FROM pg_namespace WHERE nspname = ANY($1::text[])',
    [schemas],
  );
  const found = new Set(result.rows.map((row) => row.nspname));
  const missing = schemas.filter((schema) => !found.has(schema));

  if (missing.length > 0) {
    throw new MissingSchemaError(
      `Schema ${missing.join(', ')} not found in the database; check --schemas and --admin-url.`,
    );
  }
}

export async function readCatalog(client: Client, target: AuditTarget): Promise<Catalog> {
  await assertSchemasExist(client, target.schemas);

  const server = await client.query<{ database: string; version: number }>(
    `SELECT current_database() AS database, current_setting('server_version_num')::int AS version`,
  );
  const roles = await readRoleFacts(client, target);
  const reachableRoleOids = roles.reachable.map((role) => role.oid);
  const resolverRoleOid = roles.resolver?.oid ?? null;

  return {
    database: server.rows[0].database,
    serverVersion: server.rows[0].version,
    roles,
    relations: await readRelations(client, {
      schemas: target.schemas,
      reachableRoleOids,
      supabaseRoles: roles.supabaseRoles,
      resolverRoleOid,
      tenantColumn,
      tenantsTable,
    }),
    policies: await readPolicies(client, {
      schemas: target.schemas,
      reachableRoleOids,
      resolverRoleOid,
    }),
    indexes: await readIndexes(client, target.schemas),
    foreignKeys: await readForeignKeys(client, target.schemas),
    definerFunctions: await readDefinerFunctions(client, {
      schemas: target.schemas,
      reachableRoleOids,
    }),
    appliedMigrations: await readAppliedMigrations(client, target.migrationsSchema),
  };
}
