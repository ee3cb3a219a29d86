import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';

import { PrismaService } from '../src/database/prisma.service';
import { TenantDatabase } from '../src/database/tenant-database';
import { createTestApp, testConfig } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { runIsolationWorkload } from './support/isolation-workload';
import type { RunInTenant } from './support/isolation-workload';
import {
  appDatabaseUrl,
  connectAs,
  superuserDatabaseUrl,
  testDatabaseName,
} from './support/test-database';

const bypassRole = 'aias_isolation_bypass_test';

function urlForRole(role: string): string {
  const url = new URL(appDatabaseUrl);

  url.username = role;

  return url.toString();
}

describe('Tenant isolation', () => {
  let app: NestFastifyApplication;
  let superuser: Client;
  let tenants: SeededTenant[];

  beforeAll(async () => {
    app = await createTestApp();
    superuser = await connectAs(superuserDatabaseUrl);
    tenants = [];

    for (let i = 0; i < 50; i += 1) {
      tenants.push(await seedTenant());
    }
  });

  afterAll(async () => {
    await superuser.query(`DROP OWNED BY ${bypassRole}`).catch(() => undefined);
    await superuser.query(`DROP ROLE IF EXISTS ${bypassRole}`);
    await superuser.end();
    await app.close();
  });

  it('2,000 concurrent operations across 50 tenants see no foreign row', async () => {
    const db = app.get(TenantDatabase);
    const run: RunInTenant = (tenantId, work) => db.transaction(tenantId, work);
    const result = await runIsolationWorkload(
      tenants.map((tenant) => tenant.tenantId),
      run,
      { operations: 2000, concurrency: 200, run: 1 },
    );

    expect(result.operations).toBe(2000);
    expect(result.foreignRows).toBe(0);
    expect(result.rejectedWrites).toBe(0);
  });

  it('detects the leak of a session-level tenant setting', async () => {
    const prisma = app.get(PrismaService);
    // The bug this guards against: the tenant set on whichever pooled connection ran set_config,
    // outside the transaction that then runs on another connection.
    const broken: RunInTenant = async (tenantId, work) => {
      await prisma.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, false)`;

      return prisma.$transaction((tx) => work(tx));
    };

    const result = await runIsolationWorkload(
      tenants.map((tenant) => tenant.tenantId),
      broken,
      { operations: 2000, concurrency: 200, run: 2 },
    );

    expect(result.foreignRows + result.rejectedWrites).toBeGreaterThan(0);
  });

  it('detects the leak of a role with BYPASSRLS', async () => {
    await superuser.query(`DROP OWNED BY ${bypassRole}`).catch(() => undefined);
    await superuser.query(`DROP ROLE IF EXISTS ${bypassRole}`);
    await superuser.query(`CREATE ROLE ${bypassRole} LOGIN BYPASSRLS`);
    await superuser.query(`GRANT aias_app TO ${bypassRole}`);
    await superuser.query(`GRANT CONNECT ON DATABASE ${testDatabaseName} TO ${bypassRole}`);

    const config = testConfig({ DATABASE_URL: urlForRole(bypassRole) });
    const prisma = new PrismaService(config);
    const db = new TenantDatabase(prisma, config);

    try {
      const result = await runIsolationWorkload(
        tenants.map((tenant) => tenant.tenantId),
        (tenantId, work) => db.transaction(tenantId, work),
        { operations: 400, concurrency: 1, run: 3 },
      );

      expect(result.foreignRows).toBeGreaterThan(0);
    } finally {
      await prisma.$disconnect();
    }
  });
});
