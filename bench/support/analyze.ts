import { Client } from 'pg';

import { superuserUrl } from './bench-config';

/**
 * Refreshes the planner's statistics, as autovacuum's analyze would in production. The benchmark's
 * cluster runs with autovacuum off so that no vacuum falls inside a measured phase, and without
 * statistics the service's connections keep the plans they made while the tables were empty. In
 * the first run after a fresh database, PostgreSQL spent 1.5 to 2 times the CPU per message
 * until the next connections planned again (BENCHMARKS.md, "Statistics after the warm-up").
 */
export async function analyzeDatabase(): Promise<void> {
  const client = new Client({ connectionString: superuserUrl });

  await client.connect();

  try {
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}
