import type { Client } from 'pg';

import { connectAs, superuserDatabaseUrl, testDatabaseName } from './test-database';

/**
 * Inserts an inbox row with the given key in a transaction left open, so the service's claim of the
 * same key waits on its lock until release() rolls the row back.
 */
export async function holdInboxKey(
  tenantId: string,
  dedupKey: string,
): Promise<{ release: () => Promise<void> }> {
  const client = await connectAs(superuserDatabaseUrl);

  await client.query('BEGIN');
  await client.query(
    `INSERT INTO webhook_events (id, tenant_id, source, dedup_key)
     VALUES (gen_random_uuid(), $1, 'blooio', $2)`,
    [tenantId, dedupKey],
  );

  return {
    release: async () => {
      await client.query('ROLLBACK');
      await client.end();
    },
  };
}

/** Returns the pids of application connections waiting on a lock, polling until there is one. */
export async function lockWaiters(admin: Client): Promise<number[]> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const result = await admin.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = $1 AND usename = 'aias_app' AND wait_event_type = 'Lock'`,
      [testDatabaseName],
    );

    if (result.rows.length > 0) {
      return result.rows.map((row) => row.pid);
    }

    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  throw new Error('No application connection waited on a lock');
}
