import { AuditDatabases, problems, tenantPredicate } from './support/audit-databases';

describe('Database audit: row-level security and policies', () => {
  const databases = new AuditDatabases();

  beforeAll(async () => {
    await databases.createTemplate();
  });

  afterAll(async () => {
    await databases.dropAll();
  });

  it('passes the migrated project database', async () => {
    const report = await databases.audit();
    const info = report.findings.map((finding) => `${finding.check} ${finding.object}`);

    expect(problems(report)).toEqual([]);
    expect(report.passed).toBe(true);
    expect(info).toEqual([
      'definer-retention-scope function retention.prune_audit_log(retention_days integer, batch_size integer)',
      'definer-retention-scope function retention.prune_webhook_events(retention_days integer, batch_size integer)',
      'policy-always-true policy tenant_resolution_read on public.api_keys',
      'policy-always-true policy tenant_resolution_read on public.sending_numbers',
      'policy-always-true policy tenant_resolution_read on public.tenants',
      'rls-enabled public._prisma_migrations',
      `supabase-anon-access roles ${databases.supabaseRoles.join(', ')}`,
    ]);
  });

  it('reports a table without FORCE', async () => {
    const report = await databases.audit('ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY');

    expect(problems(report)).toEqual(['error rls-forced public.contacts']);
    expect(report.passed).toBe(false);
  });

  it('reports a table with RLS disabled', async () => {
    const report = await databases.audit('ALTER TABLE contacts DISABLE ROW LEVEL SECURITY');

    expect(problems(report)).toEqual(['error rls-enabled public.contacts']);
  });

  it('reports an unreachable table as info only', async () => {
    const report = await databases.audit('CREATE TABLE notes (id int PRIMARY KEY)');
    const note = report.findings.find((finding) => finding.object === 'public.notes');

    expect(problems(report)).toEqual([]);
    expect(note?.check).toBe('rls-enabled');
    expect(note?.severity).toBe('info');
  });

  it('reports an ungranted table once the app role gets access', async () => {
    const report = await databases.audit(
      'CREATE TABLE notes (id int PRIMARY KEY); GRANT SELECT ON notes TO PUBLIC',
    );

    expect(problems(report)).toEqual(['error rls-enabled public.notes']);
  });

  it('reports a policy without WITH CHECK', async () => {
    const report = await databases.audit(`
      DROP POLICY tenant_isolation ON contacts;
      CREATE POLICY tenant_isolation ON contacts USING (${tenantPredicate})`);

    expect(problems(report)).toEqual([
      'error policy-tenant-predicate policy tenant_isolation on public.contacts',
    ]);
    expect(report.findings[0].problem).toMatch(/no WITH CHECK clause/);
  });

  it('reports a predicate widened by OR', async () => {
    const report = await databases.audit(`
      DROP POLICY tenant_isolation ON contacts;
      CREATE POLICY tenant_isolation ON contacts
        USING (${tenantPredicate} OR phone IS NULL) WITH CHECK (${tenantPredicate})`);

    expect(problems(report)).toEqual([
      'error policy-tenant-predicate policy tenant_isolation on public.contacts',
    ]);
    expect(report.findings[0].problem).toMatch(/USING .* does not pin tenant_id/);
  });

  it('reports a policy on the wrong tenant column', async () => {
    const report = await databases.audit(`
      DROP POLICY tenant_isolation ON tenants;
      CREATE POLICY tenant_isolation ON tenants
        USING (slug = current_setting('app.tenant_id', true))
        WITH CHECK (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)`);

    expect(problems(report)).toEqual([
      'error policy-tenant-predicate policy tenant_isolation on public.tenants',
    ]);
    expect(report.findings[0].problem).toMatch(/USING .*slug.* does not pin id/);
  });

  it('reports a USING (true) policy', async () => {
    const report = await databases.audit(
      'CREATE POLICY open_read ON contacts FOR SELECT USING (true)',
    );

    expect(problems(report)).toEqual([
      'error policy-always-true policy open_read on public.contacts',
      'error policy-permissive-overlap public.contacts',
    ]);
  });

  it('reports a WITH CHECK (true) clause', async () => {
    const report = await databases.audit(`
      DROP POLICY tenant_isolation ON contacts;
      CREATE POLICY tenant_isolation ON contacts USING (${tenantPredicate}) WITH CHECK (true)`);

    expect(problems(report)).toEqual([
      'error policy-always-true policy tenant_isolation on public.contacts',
    ]);
  });

  it('reports a command no policy covers', async () => {
    const report = await databases.audit(`
      DROP POLICY tenant_isolation ON contacts;
      CREATE POLICY tenant_read ON contacts FOR SELECT USING (${tenantPredicate});
      CREATE POLICY tenant_insert ON contacts FOR INSERT WITH CHECK (${tenantPredicate});
      CREATE POLICY tenant_update ON contacts FOR UPDATE
        USING (${tenantPredicate}) WITH CHECK (${tenantPredicate})`);

    expect(problems(report)).toEqual(['error policy-commands public.contacts']);
    expect(report.findings[0].problem).toMatch(/covers DELETE\.$/);
  });

  it('reports two permissive policies for one command', async () => {
    const report = await databases.audit(
      `CREATE POLICY tenant_read ON contacts FOR SELECT USING (${tenantPredicate})`,
    );

    expect(problems(report)).toEqual(['error policy-permissive-overlap public.contacts']);
    expect(report.findings[0].problem).toMatch(/SELECT \(tenant_isolation, tenant_read\)/);
  });

  it('accepts a restrictive policy beside the tenant policy', async () => {
    const report = await databases.audit(
      'CREATE POLICY hide_unnamed ON contacts AS RESTRICTIVE FOR SELECT USING (phone IS NOT NULL)',
    );

    expect(problems(report)).toEqual([]);
  });

  it('reports the resolver policy opened to PUBLIC', async () => {
    const report = await databases.audit(
      'ALTER POLICY tenant_resolution_read ON tenants TO PUBLIC',
    );

    expect(problems(report)).toEqual([
      'error policy-always-true policy tenant_resolution_read on public.tenants',
      'error policy-permissive-overlap public.tenants',
    ]);
  });

  it('reports the resolver policy widened to FOR ALL', async () => {
    const report = await databases.audit(`
      DROP POLICY tenant_resolution_read ON tenants;
      CREATE POLICY tenant_resolution_read ON tenants TO aias_resolver USING (true)`);

    expect(problems(report)).toEqual([
      'error policy-always-true policy tenant_resolution_read on public.tenants',
    ]);
    expect(report.findings[0].problem).toMatch(/FOR ALL, not FOR SELECT/);
  });

  it('reports table-wide SELECT for the resolver', async () => {
    const report = await databases.audit('GRANT SELECT ON api_keys TO aias_resolver');

    expect(problems(report)).toEqual([
      'error policy-always-true policy tenant_resolution_read on public.api_keys',
    ]);
    expect(report.findings[0].problem).toMatch(/SELECT on the whole table/);
  });

  it('warns about USING (true) for another role', async () => {
    const reporting = databases.roleName('reporting');
    const report = await databases.audit(`
      CREATE ROLE ${reporting} NOLOGIN;
      CREATE POLICY reporting_read ON contacts FOR SELECT TO ${reporting} USING (true)`);

    expect(problems(report)).toEqual([
      'warning policy-always-true policy reporting_read on public.contacts',
    ]);
    expect(report.passed).toBe(true);
  });
});
