import { Client } from 'pg';

// Each checkout may set its own names, so parallel runs on one server do not share a database.
export const testDatabaseName = process.env.TEST_DATABASE_NAME ?? 'aias_e2e';
export const adminUrl =
  process.env.ADMIN_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
export const testRedisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1';

function urlFor(user: string, database = testDatabaseName): string {
  const url = new URL(adminUrl);

  url.username = user;
  url.password = '';
  url.pathname = `/${database}`;

  return url.toString();
}

export const appDatabaseUrl = urlFor('aias_app');
export const ownerDatabaseUrl = urlFor('aias_owner');
export const superuserDatabaseUrl = urlFor(new URL(adminUrl).username || 'postgres');

/** Opens a pg client as the given role on the test database; the caller ends it. */
export async function connectAs(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });

  await client.connect();

  return client;
}
