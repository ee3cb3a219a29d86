import { connectAs, superuserDatabaseUrl, testDatabaseName } from './test-database';

/**
 * Returns when each application-role connection to the test database last started a query, as
 * "pid@query_start" strings. Two equal snapshots mean the service ran no query in between.
 */
export async function appQuerySnapshot(): Promise<string[]> {
  const client = await connectAs(superuserDatabaseUrl);

  try {
    const result = await client.query<{ entry: string }>(
      `SELECT pid || '@' || coalesce(query_start::text, '-') AS entry
         FROM pg_stat_activity
        WHERE datname = $1 AND usename = 'aias_app'
        ORDER BY pid`,
      [testDatabaseName],
    );

    return result.rows.map((row) => row.entry);
  } finally {
    await client.end();
  }
}

/** Waits until the snapshot stops changing, so queries started in the background have finished. */
export async function settledQuerySnapshot(quietMs = 300): Promise<string[]> {
  let previous = await appQuerySnapshot();

  for (let attempt = 0; attempt < 20; attempt += 1) {
    await new Promise((resolve) => setTimeout(resolve, quietMs));
    const current = await appQuerySnapshot();

    if (current.join() === previous.join()) {
      return current;
    }

    previous = current;
  }

  throw new Error('The application kept running queries; no quiet moment to compare against');
}
