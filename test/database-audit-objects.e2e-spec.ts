import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { AuditDatabases, problems } from './support/audit-databases';

const migrationsDir = path.join(__dirname, '..', 'prisma', 'migrations');
const rolesMigration = '20261204000100_roles_and_rls';
const initMigration = '20261204000000_init';

/** SQL that creates a SECURITY DEFINER function shaped like the tenant-resolution ones. */
function definerFunction(
  options: {
    schema?: string;
    searchPath?: string | null;
    volatility?: string;
    owner?: string;
    revokePublic?: boolean;
  } = {},
): string {
  const {
    schema = 'tenant_resolution',
    searchPath = 'pg_catalog, pg_temp',
    volatility = 'STABLE',
    owner = 'aias_resolver',
    revokePublic = true,
  } = options;
  const name = `${schema}.tenant_count()`;

  return `
    CREATE FUNCTION ${name} RETURNS bigint LANGUAGE sql ${volatility} SECURITY DEFINER
      ${searchPath === null ? '' : `SET search_path = ${searchPath}`}
      AS $$ SELECT count(*) FROM public.tenants $$;
    ALTER FUNCTION ${name} OWNER TO ${owner};
    ${revokePublic ? `REVOKE ALL ON FUNCTION ${name} FROM PUBLIC;` : ''}`;
}

describe('Database audit: views, functions, indexes and migrations', () => {
  const databases = new AuditDatabases();

  beforeAll(async () => {
    await databases.createTemplate();
  });

  afterAll(async () => {
    await databases.dropAll();
  });

  describe('views', () => {
    it('reports a definer view', async () => {
      const report = await databases.audit(
        'CREATE VIEW contact_names AS SELECT tenant_id, name FROM contacts',
      );

      expect(problems(report)).toEqual(['error view-security-invoker public.contact_names']);
      expect(report.findings[0].fix).toBe(
        'ALTER VIEW public.contact_names SET (security_invoker = true);',
      );
    });

    it('passes a security_invoker view', async () => {
      const report = await databases.audit(
        'CREATE VIEW contact_names WITH (security_invoker = on) AS SELECT tenant_id, name FROM contacts',
      );

      expect(problems(report)).toEqual([]);
    });

    it('reports a materialized view', async () => {
      const report = await databases.audit(
        'CREATE MATERIALIZED VIEW contact_counts AS SELECT tenant_id, count(*) FROM contacts GROUP BY 1',
      );

      expect(problems(report)).toEqual(['error view-security-invoker public.contact_counts']);
    });
  });

  describe('SECURITY DEFINER functions', () => {
    const object = 'function tenant_resolution.tenant_count()';

    it('passes a definer shaped like the resolver functions', async () => {
      const report = await databases.audit(definerFunction());

      expect(problems(report)).toEqual([]);
    });

    it('reports a definer without search_path', async () => {
      const report = await databases.audit(definerFunction({ searchPath: null }));

      expect(problems(report)).toEqual([`error definer-search-path ${object}`]);
    });

    it('warns about a search_path without pg_temp last', async () => {
      const report = await databases.audit(definerFunction({ searchPath: 'pg_catalog' }));

      expect(problems(report)).toEqual([`warning definer-search-path ${object}`]);
      expect(report.findings[0].fix).toBe(
        `ALTER FUNCTION tenant_resolution.tenant_count() SET search_path = pg_catalog, pg_temp;`,
      );
    });

    it('reports a definer outside tenant_resolution', async () => {
      const report = await databases.audit(definerFunction({ schema: 'public' }));

      expect(problems(report)).toEqual(['error definer-location function public.tenant_count()']);
    });

    it('reports a definer the app role can call in another schema', async () => {
      const report = await databases.audit(`
        CREATE SCHEMA reports;
        ${definerFunction({ schema: 'reports' })}
        GRANT USAGE ON SCHEMA reports TO aias_app;
        GRANT EXECUTE ON FUNCTION reports.tenant_count() TO aias_app;`);

      expect(problems(report)).toEqual(['error definer-location function reports.tenant_count()']);
    });

    it('ignores a definer the app role cannot call', async () => {
      const report = await databases.audit(`
        CREATE SCHEMA reports;
        ${definerFunction({ schema: 'reports', searchPath: null })}`);

      expect(problems(report)).toEqual([]);
    });

    it('reports a definer owned by a login role', async () => {
      const owner = databases.roleName('definer_owner');
      const report = await databases.audit(`
        CREATE ROLE ${owner} LOGIN;
        ${definerFunction({ owner })}`);

      expect(problems(report)).toEqual([`error definer-owner ${object}`]);
      expect(report.findings[0].problem).toContain(`${owner} can log in`);
    });

    it('reports a definer that PUBLIC may execute', async () => {
      const report = await databases.audit(definerFunction({ revokePublic: false }));

      expect(problems(report)).toEqual([`error definer-public-execute ${object}`]);
    });

    it('reports a volatile definer', async () => {
      const report = await databases.audit(definerFunction({ volatility: 'VOLATILE' }));

      expect(problems(report)).toEqual([`error definer-read-only ${object}`]);
    });

    it('reports a resolver that may write', async () => {
      const report = await databases.audit('GRANT UPDATE ON tenants TO aias_resolver');

      expect(problems(report)).toEqual([
        'error definer-read-only function tenant_resolution.api_key_by_prefix(key_prefix text)',
        'error definer-read-only function tenant_resolution.tenant_by_number(receiving_number text)',
        'error definer-read-only function tenant_resolution.tenant_directory()',
        'error policy-always-true policy tenant_resolution_read on public.tenants',
      ]);
    });
  });

  describe('retention functions', () => {
    const pruneWebhookEvents =
      'function retention.prune_webhook_events(retention_days integer, batch_size integer)';
    const pruneAuditLog =
      'function retention.prune_audit_log(retention_days integer, batch_size integer)';

    it('accepts the migrated retention functions', async () => {
      const report = await databases.audit();
      const retention = report.findings.filter(
        (finding) => finding.check === 'definer-retention-scope',
      );

      expect(problems(report)).toEqual([]);
      expect(retention.map((finding) => `${finding.severity} ${finding.object}`)).toEqual([
        `info ${pruneAuditLog}`,
        `info ${pruneWebhookEvents}`,
      ]);
      expect(retention[0].problem).toContain(
        'may write nothing but DELETE on public.audit_log, public.webhook_events',
      );
    });

    it('reports a retention owner that may update', async () => {
      const report = await databases.audit(
        'GRANT UPDATE (received_at) ON webhook_events TO aias_retention',
      );

      expect(problems(report)).toEqual([
        `error definer-retention-scope ${pruneAuditLog}`,
        `error definer-retention-scope ${pruneWebhookEvents}`,
      ]);
      expect(report.findings[0].problem).toContain('may UPDATE public.webhook_events');
      expect(report.findings[0].fix).toBe(
        'REVOKE UPDATE ON public.webhook_events FROM aias_retention;',
      );
    });

    it('reports a retention owner that may delete another table', async () => {
      const report = await databases.audit('GRANT DELETE ON contacts TO aias_retention');

      expect(problems(report)).toEqual([
        `error definer-retention-scope ${pruneAuditLog}`,
        `error definer-retention-scope ${pruneWebhookEvents}`,
      ]);
      expect(report.findings[0].problem).toContain('may DELETE public.contacts');
    });

    it('reports a retention owner the app role can become', async () => {
      const role = databases.roleName('retention_member');
      const report = await databases.audit(
        `CREATE ROLE ${role} LOGIN NOINHERIT; GRANT aias_app TO ${role}; GRANT aias_retention TO ${role};`,
        ['--app-role', role],
      );

      // Through the membership the app role also reaches the role's functions and its policies,
      // which do not pin the tenant, so those checks report it as well.
      expect(problems(report)).toEqual([
        'error app-role-membership role aias_retention',
        `error definer-retention-scope ${pruneAuditLog}`,
        `error definer-retention-scope ${pruneWebhookEvents}`,
        'error policy-permissive-overlap public.audit_log',
        'error policy-permissive-overlap public.webhook_events',
        'error policy-tenant-predicate policy retention_prune on public.audit_log',
        'error policy-tenant-predicate policy retention_prune on public.webhook_events',
        'error policy-tenant-predicate policy retention_prune_read on public.audit_log',
        'error policy-tenant-predicate policy retention_prune_read on public.webhook_events',
      ]);
      expect(
        report.findings.find((finding) => finding.check === 'definer-retention-scope')?.problem,
      ).toContain('can be reached by the application role with SET ROLE');
    });

    it('reports a retention function that PUBLIC may execute', async () => {
      const report = await databases.audit(
        'GRANT EXECUTE ON FUNCTION retention.prune_audit_log(integer, integer) TO PUBLIC',
      );

      expect(problems(report)).toEqual([`error definer-public-execute ${pruneAuditLog}`]);
    });

    it('reports a writing definer in the retention schema with another owner', async () => {
      const report = await databases.audit(`
        ${definerFunction({ schema: 'retention', volatility: 'VOLATILE' })}
        GRANT EXECUTE ON FUNCTION retention.tenant_count() TO aias_app;`);

      expect(problems(report)).toEqual([
        'error definer-location function retention.tenant_count()',
        'error definer-read-only function retention.tenant_count()',
      ]);
    });
  });

  describe('indexes', () => {
    it('reports a foreign key without an index', async () => {
      const report = await databases.audit('DROP INDEX conversations_tenant_id_contact_id_idx');

      expect(problems(report)).toEqual([
        'error index-foreign-key foreign key conversations_tenant_id_contact_id_fkey on public.conversations',
      ]);
      expect(report.findings[0].fix).toBe(
        'CREATE INDEX ON public.conversations (tenant_id, contact_id);',
      );
    });

    it('reports a foreign-key index not led by tenant_id', async () => {
      const report = await databases.audit(`
        DROP INDEX conversations_tenant_id_contact_id_idx;
        CREATE INDEX ON conversations (contact_id, tenant_id);`);

      expect(problems(report)).toEqual([
        'error index-foreign-key foreign key conversations_tenant_id_contact_id_fkey on public.conversations',
      ]);
    });

    it('reports a partial foreign-key index', async () => {
      const report = await databases.audit(`
        DROP INDEX conversations_tenant_id_contact_id_idx;
        CREATE INDEX ON conversations (tenant_id, contact_id) WHERE paused_reason IS NULL;`);

      expect(problems(report)).toEqual([
        'error index-foreign-key foreign key conversations_tenant_id_contact_id_fkey on public.conversations',
      ]);
    });

    it('reports a missing required index', async () => {
      const report = await databases.audit('DROP INDEX conversations_tenant_id_created_at_id_idx');

      expect(problems(report)).toEqual([
        'error index-required public.conversations (tenant_id, created_at)',
      ]);
    });

    // The (tenant_id, pipeline_id, created_at, id) index also covers the foreign key, so both go.
    it('reports the missing pipeline index twice', async () => {
      const report = await databases.audit(
        'DROP INDEX opportunities_tenant_id_pipeline_id_status_idx; DROP INDEX opportunities_tenant_id_pipeline_id_created_at_id_idx',
      );

      expect(problems(report)).toEqual([
        'error index-foreign-key foreign key opportunities_tenant_id_pipeline_id_fkey on public.opportunities',
        'error index-required public.opportunities (tenant_id, pipeline_id, status)',
      ]);
    });

    it('reports a policy column without an index', async () => {
      const report = await databases.audit(
        `CREATE POLICY hide_blocked ON contacts AS RESTRICTIVE FOR SELECT
           USING (source IS DISTINCT FROM 'blocked')`,
      );

      expect(problems(report)).toEqual(['error index-policy-column public.contacts (source)']);
      expect(report.findings[0].fix).toBe('CREATE INDEX ON public.contacts (tenant_id, source);');
    });
  });

  describe('migrations', () => {
    let scratch: string;

    beforeAll(async () => {
      scratch = await mkdtemp(path.join(tmpdir(), 'aias-audit-'));
    });

    afterAll(async () => {
      await rm(scratch, { recursive: true, force: true });
    });

    it('reports a pending migration', async () => {
      const report = await databases.audit(
        `DELETE FROM _prisma_migrations WHERE migration_name = '${rolesMigration}'`,
      );

      expect(problems(report)).toEqual([`error migration-pending migration ${rolesMigration}`]);
    });

    it('reports a new migration folder as pending', async () => {
      const directory = path.join(scratch, 'extra');
      const added = '20991231000000_add_notes';

      await cp(migrationsDir, directory, { recursive: true });
      await mkdir(path.join(directory, added));
      await writeFile(path.join(directory, added, 'migration.sql'), 'SELECT 1;\n');

      const report = await databases.audit(undefined, ['--migrations-dir', directory]);

      expect(problems(report)).toEqual([`error migration-pending migration ${added}`]);
    });

    it('reports a checksum mismatch', async () => {
      const report = await databases.audit(
        `UPDATE _prisma_migrations SET checksum = repeat('0', 64) WHERE migration_name = '${initMigration}'`,
      );

      expect(problems(report)).toEqual([`error migration-checksum migration ${initMigration}`]);
    });

    it('accepts migration files with CRLF line endings', async () => {
      const directory = path.join(scratch, 'crlf');

      await cp(migrationsDir, directory, { recursive: true });

      for (const name of await readdir(directory)) {
        const file = path.join(directory, name, 'migration.sql');
        const sql = await readFile(file, 'utf8').catch(() => null);

        if (sql !== null) {
          await writeFile(file, sql.replaceAll('\n', '\r\n'));
        }
      }

      const report = await databases.audit(undefined, ['--migrations-dir', directory]);

      expect(problems(report)).toEqual([]);
    });

    it('reports a failed migration', async () => {
      const report = await databases.audit(
        `UPDATE _prisma_migrations SET finished_at = NULL WHERE migration_name = '${rolesMigration}'`,
      );

      expect(problems(report)).toEqual([`error migration-failed migration ${rolesMigration}`]);
    });

    it('ignores a rolled-back attempt', async () => {
      const report = await databases.audit(`
        INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, rolled_back_at)
        VALUES (gen_random_uuid()::text, repeat('1', 64), '${initMigration}', now() - interval '1 day', now())`);

      expect(problems(report)).toEqual([]);
    });

    it('reports a migration the checkout lacks', async () => {
      const unknown = '20991231000000_from_another_branch';
      const report = await databases.audit(`
        INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
        VALUES (gen_random_uuid()::text, repeat('2', 64), '${unknown}', now(), now(), 1)`);

      expect(problems(report)).toEqual([`error migration-unknown migration ${unknown}`]);
    });

    it('reports a database without the migrations table', async () => {
      const report = await databases.audit('DROP TABLE _prisma_migrations');

      expect(problems(report)).toEqual(['error migration-table public._prisma_migrations']);
    });
  });
});
