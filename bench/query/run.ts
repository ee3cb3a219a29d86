import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { Client } from 'pg';

import { adminUrl, ensureResultsDirs, resultsDir } from '../support/bench-config';
import { loadAverage } from '../support/cpu-usage';
import { median } from '../support/summary';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { setupLocalDatabase, databaseUrl } = require('../../prisma/setup-local-database.cjs') as {
  setupLocalDatabase(options: {
    database: string;
    reset: boolean;
    adminUrl: string;
  }): Promise<unknown>;
  databaseUrl(adminUrl: string, user: string, database: string): string;
};

/**
 * The query benchmark: 1,000,000 conversations and 2,000,000 opportunities over 50 tenants in a
 * database of its own (aias_query), queried through row-level security as aias_app inside a
 * transaction that sets app.tenant_id, with the indexes and again with them dropped in a
 * transaction that is rolled back. Reports the medians of EXPLAIN (ANALYZE, BUFFERS) execution
 * times, then drops the database unless BENCH_KEEP_QUERY_DB=1.
 */
const database = 'aias_query';
const runsPerQuery = Number(process.env.BENCH_QUERY_RUNS ?? 9);
const superuserUrl = databaseUrl(adminUrl, 'postgres', database);
const appRoleUrl = databaseUrl(adminUrl, 'aias_app', database);

interface QueryCase {
  name: string;
  sql: string;
  params: (tenant: TenantRow) => unknown[];
}

interface TenantRow {
  tenantId: string;
  pipelineId: string;
  phone: string;
}

interface PlanTiming {
  executionMs: number;
  planningMs: number;
  sharedHit: number;
  sharedRead: number;
  plan: string;
}

const conversationColumns = `id, contact_id, phone, our_number, protocol, last_message_at,
  replies_paused_at, paused_reason, created_at, updated_at`;

// The tenant API's statements: the explicit tenant_id condition repeats the row-level security one.
const queryCases: QueryCase[] = [
  {
    name: 'conversations by tenant (page of 50)',
    sql: `SELECT ${conversationColumns} FROM conversations WHERE tenant_id = $1::uuid
          ORDER BY created_at DESC, id DESC LIMIT 51`,
    params: (tenant) => [tenant.tenantId],
  },
  {
    name: 'conversations by tenant and phone',
    sql: `SELECT ${conversationColumns} FROM conversations WHERE tenant_id = $1::uuid AND phone = $2
          ORDER BY created_at DESC, id DESC LIMIT 51`,
    params: (tenant) => [tenant.tenantId, tenant.phone],
  },
  {
    name: 'opportunity count by pipeline and status',
    sql: `SELECT count(*) FROM opportunities
          WHERE tenant_id = $1::uuid AND pipeline_id = $2::uuid AND status = 'qualified'`,
    params: (tenant) => [tenant.tenantId, tenant.pipelineId],
  },
  {
    name: 'opportunity counts per status of a pipeline',
    sql: `SELECT status, count(*) FROM opportunities
          WHERE tenant_id = $1::uuid AND pipeline_id = $2::uuid GROUP BY status`,
    params: (tenant) => [tenant.tenantId, tenant.pipelineId],
  },
];

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** Lists the plan's node types, outermost first, as in "Limit > Index Scan using …". */
function planShape(node: PlanNode): string[] {
  const own = node['Index Name']
    ? `${node['Node Type']} using ${node['Index Name']}`
    : node['Node Type'];

  return [own, ...(node.Plans ?? []).flatMap(planShape)];
}

function planTiming(explain: { rows: { 'QUERY PLAN': unknown }[] }): PlanTiming {
  const [output] = explain.rows[0]['QUERY PLAN'] as {
    Plan: PlanNode;
    'Execution Time': number;
    'Planning Time': number;
  }[];

  return {
    executionMs: output['Execution Time'],
    planningMs: output['Planning Time'],
    sharedHit: output.Plan['Shared Hit Blocks'] ?? 0,
    sharedRead: output.Plan['Shared Read Blocks'] ?? 0,
    plan: planShape(output.Plan).join(' > '),
  };
}

/** Runs EXPLAIN (ANALYZE, BUFFERS) in a transaction that sets the tenant, as TenantDatabase does. */
async function explainAsTenant(
  client: Client,
  query: QueryCase,
  tenant: TenantRow,
): Promise<PlanTiming> {
  await client.query('BEGIN');

  try {
    await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.tenantId]);

    return planTiming(
      await client.query(
        `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query.sql}`,
        query.params(tenant),
      ),
    );
  } finally {
    await client.query('COMMIT');
  }
}

async function measureCases(
  client: Client,
  tenants: TenantRow[],
): Promise<Record<string, PlanTiming[]>> {
  const results: Record<string, PlanTiming[]> = {};

  for (const query of queryCases) {
    // One unmeasured run loads the pages, as a busy service would have them cached.
    await explainAsTenant(client, query, tenants[0]);
    results[query.name] = [];

    for (let run = 0; run < runsPerQuery; run += 1) {
      results[query.name].push(await explainAsTenant(client, query, tenants[run % tenants.length]));
    }
  }

  return results;
}

/** Measures the cases with every secondary index of the two tables dropped, then rolls back. */
async function measureWithoutIndexes(tenants: TenantRow[]): Promise<Record<string, PlanTiming[]>> {
  const client = new Client({ connectionString: superuserUrl });

  await client.connect();

  try {
    await client.query('BEGIN');

    const indexes = await client.query<{ indexname: string }>(
      `SELECT indexname FROM pg_indexes
       WHERE tablename IN ('conversations', 'opportunities') AND indexname NOT LIKE '%_pkey'`,
    );

    for (const { indexname } of indexes.rows) {
      // CASCADE also drops the foreign keys that use an index; the rollback restores both.
      await client.query(`DROP INDEX "${indexname}" CASCADE`);
    }

    await client.query('SET LOCAL ROLE aias_app');

    // Every run shares this one transaction, because the drops must stay uncommitted; each run
    // sets its tenant again.
    const results: Record<string, PlanTiming[]> = {};

    for (const query of queryCases) {
      results[query.name] = [];

      for (let run = 0; run <= runsPerQuery; run += 1) {
        const tenant = tenants[run % tenants.length];

        await client.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenant.tenantId]);

        const timing = planTiming(
          await client.query(
            `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${query.sql}`,
            query.params(tenant),
          ),
        );

        if (run > 0) {
          results[query.name].push(timing);
        }
      }
    }

    return results;
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
}

async function generate(): Promise<void> {
  await setupLocalDatabase({ database, reset: true, adminUrl });

  const client = new Client({ connectionString: superuserUrl });
  const started = Date.now();

  await client.connect();

  try {
    // One statement at a time: VACUUM cannot run inside the transaction of a multi-statement query.
    const statements = readFileSync(path.join(__dirname, 'generate.sql'), 'utf8')
      .split(/;\s*\n/)
      .map((statement) => statement.replace(/^--.*$/gm, '').trim())
      .filter((statement) => statement.length > 0);

    for (const statement of statements) {
      const stepStarted = Date.now();

      await client.query(statement);
      console.log(
        `${statement.split('\n')[0].slice(0, 60)}: ${((Date.now() - stepStarted) / 1000).toFixed(1)} s`,
      );
    }
  } finally {
    await client.end();
  }

  console.log(
    `Generated 1,000,000 conversations and 2,000,000 opportunities in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}

async function sampleTenants(): Promise<TenantRow[]> {
  const client = new Client({ connectionString: superuserUrl });

  await client.connect();

  try {
    const rows = await client.query<TenantRow>(
      `SELECT t.id AS "tenantId",
         (SELECT id FROM pipelines p WHERE p.tenant_id = t.id ORDER BY name LIMIT 1) AS "pipelineId",
         (SELECT phone FROM conversations c WHERE c.tenant_id = t.id ORDER BY id LIMIT 1) AS phone
       FROM tenants t ORDER BY t.slug LIMIT 9`,
    );

    return rows.rows;
  } finally {
    await client.end();
  }
}

function formatRows(label: string, results: Record<string, PlanTiming[]>): string[] {
  return Object.entries(results).map(([name, timings]) => {
    const executions = timings.map((timing) => timing.executionMs);

    return (
      `| ${name} | ${label} | ${median(executions).toFixed(3)} | ${Math.max(...executions).toFixed(3)} | ` +
      `${median(timings.map((timing) => timing.planningMs)).toFixed(3)} | ` +
      `${median(timings.map((timing) => timing.sharedHit + timing.sharedRead))} | ${timings[0].plan} |`
    );
  });
}

async function main(): Promise<void> {
  ensureResultsDirs();

  if (process.env.BENCH_QUERY_GENERATE !== '0') {
    await generate();
  }

  const tenants = await sampleTenants();
  const appClient = new Client({ connectionString: appRoleUrl });
  const startedLoad = loadAverage();

  await appClient.connect();

  try {
    const indexed = await measureCases(appClient, tenants);
    const unindexed = await measureWithoutIndexes(tenants);
    const lines = [
      `Query benchmark, ${runsPerQuery} runs per query over ${tenants.length} tenants, as aias_app under row-level security (load average at start ${startedLoad})`,
      '',
      '| query | indexes | median execution ms | max ms | median planning ms | buffers | plan |',
      '| --- | --- | ---: | ---: | ---: | ---: | --- |',
      ...formatRows('with', indexed),
      ...formatRows('without', unindexed),
    ];
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
    const output = path.join(resultsDir, `queries-${stamp}`);

    writeFileSync(
      `${output}.json`,
      JSON.stringify({ indexed, unindexed, loadAverage: startedLoad }, null, 2),
    );
    writeFileSync(`${output}-summary.md`, `${lines.join('\n')}\n`);
    console.log(`${lines.join('\n')}\n\nRaw results: ${output}.json`);
  } finally {
    await appClient.end();
  }

  if (process.env.BENCH_KEEP_QUERY_DB !== '1') {
    const admin = new Client({ connectionString: adminUrl });

    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
    console.log(`Dropped the ${database} database`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
