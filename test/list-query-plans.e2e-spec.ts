import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Client } from 'pg';

import { conversationListSql } from '../src/conversations/conversations-query.repository';
import type { ConversationListFilter } from '../src/conversations/conversations-query.repository';
import { TenantDatabase } from '../src/database/tenant-database';
import { Prisma } from '../src/generated/prisma/client';
import { opportunityListSql } from '../src/opportunities/opportunities-query.repository';
import type { OpportunityListFilter } from '../src/opportunities/opportunities-query.repository';
import { createTestApp } from './support/create-test-app';
import { adminUrl, testDatabaseName } from './support/test-database';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { setupLocalDatabase } = require('../prisma/setup-local-database.cjs') as {
  setupLocalDatabase(options: {
    database: string;
    reset: boolean;
    adminUrl: string;
  }): Promise<{ appUrl: string }>;
};

const scaleDatabase = `${testDatabaseName}_plans`;
const tenantCount = 20;
const contactsPerTenant = 500;
const rowsPerContact = 10;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function flatten(node: PlanNode): PlanNode[] {
  return [node, ...(node.Plans ?? []).flatMap(flatten)];
}

function databaseUrl(database: string): string {
  const url = new URL(adminUrl);

  url.pathname = `/${database}`;

  return url.toString();
}

// Set-based seeding as the superuser: 20 tenants, 100,000 conversations and 100,000 opportunities.
// session_replication_role = replica skips the foreign-key triggers, which would otherwise cost
// two lookups per row. The rows are consistent by construction.
const seedSql = `
  SET session_replication_role = replica;
  SET synchronous_commit = off;
  CREATE TEMP TABLE seed_tenants AS
    SELECT gen_random_uuid() AS id, i FROM generate_series(1, ${tenantCount}) AS i;
  INSERT INTO tenants (id, name, slug) SELECT id, 'Scale ' || i, 'scale-' || i FROM seed_tenants;
  INSERT INTO pipelines (id, tenant_id, name, is_default)
    SELECT gen_random_uuid(), id, name, is_default
    FROM seed_tenants, (VALUES ('Sales', true), ('Referrals', false)) AS p(name, is_default);
  INSERT INTO contacts (id, tenant_id, phone)
    SELECT gen_random_uuid(), t.id, '+1415' || lpad(g::text, 7, '0')
    FROM seed_tenants AS t, generate_series(1, ${contactsPerTenant}) AS g;
  INSERT INTO conversations (id, tenant_id, contact_id, phone, our_number, created_at, updated_at)
    SELECT gen_random_uuid(), c.tenant_id, c.id, c.phone, '+1628555' || lpad(n::text, 4, '0'), at, at
    FROM (
      SELECT c.*, n, now() - random() * interval '365 days' AS at
      FROM contacts AS c, generate_series(1, ${rowsPerContact}) AS n
    ) AS c;
  INSERT INTO opportunities (id, tenant_id, pipeline_id, contact_id, status, created_at, updated_at)
    SELECT gen_random_uuid(), c.tenant_id, p.id, c.id,
      (enum_range(NULL::opportunity_status))[1 + floor(random() * 6)::int], at, at
    FROM (
      SELECT c.*, now() - random() * interval '365 days' AS at, random() < 0.8 AS is_sales
      FROM contacts AS c, generate_series(1, ${rowsPerContact}) AS n
    ) AS c
    JOIN pipelines AS p ON p.tenant_id = c.tenant_id AND p.is_default = c.is_sales;
  RESET session_replication_role;
  ANALYZE tenants, pipelines, contacts, conversations, opportunities;`;

/**
 * Checks that the tenant API's list queries run on tenant-leading indexes at 100,000 rows per table.
 * The plans come from EXPLAIN of the exact SQL the repositories build, run by the service's own
 * TenantDatabase as aias_app with app.tenant_id set, so row-level security is in force.
 */
describe('List query plans at scale', () => {
  let app: NestFastifyApplication;
  let admin: Client;
  let tenantId: string;
  let pipelineId: string;
  let phone: string;
  let indexColumns: Map<string, string[]>;

  beforeAll(async () => {
    const { appUrl } = await setupLocalDatabase({ database: scaleDatabase, reset: true, adminUrl });

    admin = new Client({ connectionString: databaseUrl(scaleDatabase) });
    await admin.connect();
    await admin.query(seedSql);

    const tenant = await admin.query<{ tenant_id: string; pipeline_id: string; phone: string }>(
      `SELECT p.tenant_id, p.id AS pipeline_id, c.phone
       FROM pipelines AS p JOIN conversations AS c ON c.tenant_id = p.tenant_id
       WHERE p.is_default LIMIT 1`,
    );

    ({ tenant_id: tenantId, pipeline_id: pipelineId, phone } = tenant.rows[0]);

    const indexes = await admin.query<{ name: string; columns: string[] }>(
      `SELECT i.relname AS name, array_agg(a.attname::text ORDER BY k.position) AS columns
       FROM pg_index AS x
       JOIN pg_class AS i ON i.oid = x.indexrelid
       CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, position)
       JOIN pg_attribute AS a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
       WHERE x.indrelid IN ('conversations'::regclass, 'opportunities'::regclass)
       GROUP BY i.relname`,
    );

    indexColumns = new Map(indexes.rows.map((row) => [row.name, row.columns]));
    app = await createTestApp({ env: { DATABASE_URL: appUrl } });
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await admin?.end();

    const server = new Client({ connectionString: adminUrl });

    await server.connect();
    await server.query(`DROP DATABASE IF EXISTS ${scaleDatabase} WITH (FORCE)`);
    await server.end();
  });

  it('seeds 100,000 rows per table', async () => {
    const counts = await admin.query<{ conversations: number; opportunities: number }>(
      `SELECT (SELECT count(*) FROM conversations)::int AS conversations,
              (SELECT count(*) FROM opportunities)::int AS opportunities`,
    );

    expect(counts.rows[0]).toEqual({ conversations: 100_000, opportunities: 100_000 });
  });

  async function scansOf(query: Prisma.Sql): Promise<PlanNode[]> {
    const rows = await app
      .get(TenantDatabase)
      .transaction(tenantId, (tx) =>
        tx.$queryRaw<{ 'QUERY PLAN': [{ Plan: PlanNode }] }[]>(
          Prisma.sql`EXPLAIN (FORMAT JSON) ${query}`,
        ),
      );

    return flatten(rows[0]['QUERY PLAN'][0].Plan).filter((node) =>
      node['Node Type'].includes('Scan'),
    );
  }

  function expectIndexScan(scans: PlanNode[], table: string, leadingColumns: string[]): void {
    expect(scans.map((node) => node['Node Type'])).not.toContain('Seq Scan');

    const indexScans = scans.filter((node) => node['Index Name']);

    expect(indexScans.length).toBeGreaterThan(0);

    for (const node of indexScans) {
      const columns = indexColumns.get(node['Index Name'] ?? '') ?? [];

      expect({
        index: node['Index Name'],
        leading: columns.slice(0, leadingColumns.length),
      }).toEqual({
        index: node['Index Name'],
        leading: leadingColumns,
      });
      expect(node['Node Type']).toMatch(/^(Index Scan|Index Only Scan|Bitmap Index Scan)$/);
    }

    expect(
      scans.some(
        (node) => node['Relation Name'] === table || node['Index Name']?.startsWith(table),
      ),
    ).toBe(true);
  }

  const cursor = {
    createdAt: new Date(Date.now() - 100 * 86_400_000),
    id: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
  };

  const conversationCases: [string, () => Partial<ConversationListFilter>, string[]][] = [
    ['newest first', () => ({}), ['tenant_id', 'created_at', 'id']],
    ['a later page', () => ({ after: cursor }), ['tenant_id', 'created_at', 'id']],
    [
      'a time range',
      () => ({ createdFrom: new Date(Date.now() - 30 * 86_400_000), createdTo: new Date() }),
      ['tenant_id', 'created_at'],
    ],
    ['a phone', () => ({ phone }), ['tenant_id', 'phone']],
    ['a phone, later page', () => ({ phone, after: cursor }), ['tenant_id', 'phone']],
  ];

  it.each(conversationCases)(
    'lists conversations by %s on an index',
    async (_, filter, leading) => {
      const scans = await scansOf(conversationListSql({ tenantId, take: 51, ...filter() }));

      expectIndexScan(scans, 'conversations', leading);
    },
  );

  const opportunityCases: [string, () => Partial<OpportunityListFilter>, string[]][] = [
    ['newest first', () => ({}), ['tenant_id', 'created_at', 'id']],
    ['a later page', () => ({ after: cursor }), ['tenant_id', 'created_at', 'id']],
    ['a pipeline', () => ({ pipelineId }), ['tenant_id', 'pipeline_id']],
    [
      'a pipeline and status',
      () => ({ pipelineId, status: 'qualified' }),
      ['tenant_id', 'pipeline_id'],
    ],
    [
      'a pipeline and status, later page',
      () => ({ pipelineId, status: 'booked', after: cursor }),
      ['tenant_id', 'pipeline_id'],
    ],
    ['a status', () => ({ status: 'won' }), ['tenant_id', 'created_at', 'id']],
  ];

  it.each(opportunityCases)('lists opportunities by %s on an index', async (_, filter, leading) => {
    const scans = await scansOf(opportunityListSql({ tenantId, take: 51, ...filter() }));

    expectIndexScan(scans, 'opportunities', leading);
  });
});
