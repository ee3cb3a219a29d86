import type { Client } from 'pg';

/** A row of Prisma's _prisma_migrations table. */
export interface AppliedMigration {
  name: string;
  checksum: string;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
}

/** Reads the migrations table, or returns null when the schema has none. */
export async function readAppliedMigrations(
  client: Client,
  schema: string,
): Promise<AppliedMigration[] | null> {
  const table = `${client.escapeIdentifier(schema)}._prisma_migrations`;
  const exists = await client.query<{ found: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS found',
    [table],
  );

  if (!exists.rows[0].found) {
    return null;
  }

  const result = await client.query<{
    migration_name: string;
    checksum: string;
    finished_at: Date | null;
    rolled_back_at: Date | null;
  }>(
    `SELECT migration_name, checksum, finished_at, rolled_back_at
     FROM ${table} ORDER BY started_at, migration_name`,
  );

  return result.rows.map((row) => ({
    name: row.migration_name,
    checksum: row.checksum,
    finishedAt: row.finished_at,
    rolledBackAt: row.rolled_back_at,
  }));
}
