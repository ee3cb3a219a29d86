import type { QueryResultRow } from 'pg';

import { connectAs, superuserDatabaseUrl } from './test-database';

export interface AuditEntry {
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

/** Runs one query as the superuser, past row-level security, and returns its rows. */
export async function querySuperuser<T extends QueryResultRow>(
  sql: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = await connectAs(superuserDatabaseUrl);

  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Returns a tenant's audit_log entries with the given action, oldest first. */
export function auditEntries(tenantId: string, action: string): Promise<AuditEntry[]> {
  return querySuperuser<AuditEntry>(
    'SELECT actor, action, details FROM audit_log WHERE tenant_id = $1 AND action = $2 ORDER BY id',
    [tenantId, action],
  );
}
