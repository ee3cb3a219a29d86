import { connectAs, superuserDatabaseUrl } from './test-database';

export const countedTables = [
  'contacts',
  'conversations',
  'messages',
  'opportunities',
  'webhook_events',
  'outbound_sends',
] as const;

export type RowCounts = Record<(typeof countedTables)[number], number>;

/** Counts rows of the tables webhooks write, across all tenants, as the superuser. */
export async function countRows(): Promise<RowCounts> {
  const client = await connectAs(superuserDatabaseUrl);

  try {
    const counts = {} as RowCounts;

    for (const table of countedTables) {
      const result = await client.query<{ count: string }>(`SELECT count(*) FROM ${table}`);

      counts[table] = Number(result.rows[0].count);
    }

    return counts;
  } finally {
    await client.end();
  }
}

/** Runs one query as the superuser and returns its rows. */
export async function queryRows<T extends Record<string, unknown>>(
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
