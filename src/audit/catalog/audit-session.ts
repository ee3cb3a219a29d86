import { Client } from 'pg';

/**
 * Opens a connection for the audit and runs `work` in one read-only, repeatable-read transaction,
 * so every catalog query sees the same snapshot and the audit can never change the database.
 * search_path is pg_catalog alone, so pg_get_expr qualifies every function that is not a
 * built-in one and a look-alike such as public.current_setting cannot pass for the real one.
 */
export async function withAuditSession<T>(
  connectionString: string,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client({
    connectionString,
    application_name: 'aias-database-audit',
    connectionTimeoutMillis: 10_000,
  });

  await client.connect();

  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query(`SET LOCAL search_path = pg_catalog`);
    await client.query(`SET LOCAL statement_timeout = '30s'`);

    const result = await work(client);

    await client.query('COMMIT');

    return result;
  } finally {
    await client.end();
  }
}
