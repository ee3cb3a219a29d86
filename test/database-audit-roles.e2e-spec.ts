import { AuditDatabases, problems } from './support/audit-databases';

/**
 * Role attributes and memberships are cluster-wide, so these tests audit a throw-away role that is
 * a member of aias_app (and so reaches exactly what aias_app reaches) instead of aias_app itself.
 */
describe('Database audit: application role', () => {
  const databases = new AuditDatabases();

  beforeAll(async () => {
    await databases.createTemplate();
  });

  afterAll(async () => {
    await databases.dropAll();
  });

  function appRoleLike(label: string, attributes = ''): { role: string; create: string } {
    const role = databases.roleName(label);

    return {
      role,
      create: `CREATE ROLE ${role} LOGIN NOINHERIT ${attributes}; GRANT aias_app TO ${role};`,
    };
  }

  it('passes a role that only inherits aias_app', async () => {
    const { role, create } = appRoleLike('plain');
    const report = await databases.audit(create, ['--app-role', role]);

    expect(problems(report)).toEqual([]);
  });

  it.each(['BYPASSRLS', 'CREATEROLE', 'CREATEDB', 'REPLICATION'])(
    'reports an app role with %s',
    async (attribute) => {
      const { role, create } = appRoleLike(attribute.toLowerCase(), attribute);
      const report = await databases.audit(create, ['--app-role', role]);

      expect(problems(report)).toEqual([`error app-role-attributes role ${role}`]);
      expect(report.findings[0].problem).toContain(`has ${attribute}`);
      expect(report.findings[0].fix).toBe(`ALTER ROLE ${role} NO${attribute};`);
    },
  );

  it('reports a superuser app role', async () => {
    const { role, create } = appRoleLike('superuser', 'SUPERUSER');
    const report = await databases.audit(create, ['--app-role', role]);
    const attributes = report.findings.filter((finding) => finding.check === 'app-role-attributes');

    expect(attributes.map((finding) => finding.problem)).toEqual([
      expect.stringContaining('has SUPERUSER'),
    ]);
    expect(report.passed).toBe(false);
  });

  it('reports a missing app role', async () => {
    const role = databases.roleName('missing');
    const report = await databases.audit(undefined, ['--app-role', role]);

    expect(problems(report)).toEqual([`error app-role-attributes role ${role}`]);
    expect(report.findings[0].problem).toMatch(/does not exist/);
  });

  it('reports a table owned by the app role', async () => {
    const { role, create } = appRoleLike('table_owner');
    const report = await databases.audit(`${create} ALTER TABLE contacts OWNER TO ${role};`, [
      '--app-role',
      role,
    ]);

    expect(problems(report)).toEqual([
      `error app-role-ownership role ${role}`,
      `error app-role-table-privileges role ${role}`,
      `error app-role-table-privileges role ${role}`,
    ]);
    expect(report.findings[0].problem).toContain('owns table public.contacts');
  });

  it('reports a schema owned by the app role', async () => {
    const { role, create } = appRoleLike('schema_owner');
    const report = await databases.audit(`${create} CREATE SCHEMA scratch AUTHORIZATION ${role};`, [
      '--app-role',
      role,
    ]);

    expect(problems(report)).toEqual([
      `error app-role-ddl role ${role}`,
      `error app-role-ownership role ${role}`,
    ]);
    expect(report.findings[1].problem).toContain('owns schema scratch');
  });

  it('reports CREATE on a schema', async () => {
    const { role, create } = appRoleLike('schema_create');
    const report = await databases.audit(`${create} GRANT CREATE ON SCHEMA public TO ${role};`, [
      '--app-role',
      role,
    ]);

    expect(problems(report)).toEqual([`error app-role-ddl role ${role}`]);
    expect(report.findings[0].problem).toContain('CREATE objects in schema public');
  });

  it('reports CREATE on a schema granted to PUBLIC', async () => {
    const report = await databases.audit('GRANT CREATE ON SCHEMA tenant_resolution TO PUBLIC');

    expect(problems(report)).toEqual(['error app-role-ddl role aias_app']);
    expect(report.findings[0].problem).toContain('schema tenant_resolution');
  });

  it('reports CREATE on the database', async () => {
    const { role, create } = appRoleLike('database_create');
    const database = await databases.clone(create);

    await databases.asSuperuser(database, (client) =>
      client.query(`GRANT CREATE ON DATABASE ${database} TO ${role}`),
    );

    const report = await databases.runAudit(database, ['--app-role', role]);

    expect(problems(report)).toEqual([`error app-role-ddl role ${role}`]);
    expect(report.findings[0].problem).toContain(`CREATE schemas in database ${database}`);
  });

  it.each(['TRUNCATE', 'TRIGGER'])('reports %s on a tenant table', async (privilege) => {
    const report = await databases.audit(`GRANT ${privilege} ON messages TO aias_app`);

    expect(problems(report)).toEqual(['error app-role-table-privileges role aias_app']);
    expect(report.findings[0].problem).toContain(`${privilege} on public.messages`);
    expect(report.findings[0].fix).toBe(`REVOKE ${privilege} ON public.messages FROM aias_app;`);
  });

  it('reports membership in a BYPASSRLS role through another role', async () => {
    const { role, create } = appRoleLike('member');
    const middle = databases.roleName('middle');
    const bypass = databases.roleName('bypass');
    const report = await databases.audit(
      `${create}
       CREATE ROLE ${bypass} NOLOGIN BYPASSRLS;
       CREATE ROLE ${middle} NOLOGIN;
       GRANT ${bypass} TO ${middle};
       GRANT ${middle} TO ${role};`,
      ['--app-role', role],
    );

    expect(problems(report)).toEqual([`error app-role-membership role ${bypass}`]);
    expect(report.findings[0].problem).toContain(`${role} -> ${middle} -> ${bypass}`);
    expect(report.findings[0].fix).toContain(`REVOKE ${middle} FROM ${role};`);
  });

  it('reports membership in a role that owns a table', async () => {
    const { role, create } = appRoleLike('owner_member');
    const owner = databases.roleName('owner');
    const report = await databases.audit(
      `${create}
       CREATE ROLE ${owner} NOLOGIN;
       ALTER TABLE pipelines OWNER TO ${owner};
       GRANT ${owner} TO ${role};`,
      ['--app-role', role],
    );

    expect(problems(report)).toEqual([`error app-role-membership role ${owner}`]);
    expect(report.findings[0].problem).toContain('owns table public.pipelines');
  });

  it('reports membership in a predefined data role', async () => {
    const { role, create } = appRoleLike('reader');
    const report = await databases.audit(`${create} GRANT pg_read_all_data TO ${role};`, [
      '--app-role',
      role,
    ]);

    // pg_read_all_data also opens _prisma_migrations, which has no RLS, to the app role.
    expect(problems(report)).toEqual([
      'error app-role-membership role pg_read_all_data',
      'error rls-enabled public._prisma_migrations',
    ]);
  });

  describe('on Supabase', () => {
    const [anon, authenticated] = databases.supabaseRoles;

    beforeAll(async () => {
      await databases.asSuperuser('postgres', (client) =>
        client.query(`CREATE ROLE ${anon} NOLOGIN; CREATE ROLE ${authenticated} NOLOGIN`),
      );
    });

    it('passes when the API roles have no grants', async () => {
      const report = await databases.audit();

      expect(problems(report)).toEqual([]);
      expect(report.findings.some((finding) => finding.check === 'supabase-anon-access')).toBe(
        false,
      );
    });

    it('reports anon access to a table without RLS', async () => {
      const report = await databases.audit(
        `CREATE TABLE public_notes (id int PRIMARY KEY);
         GRANT SELECT ON public_notes TO ${anon};`,
      );

      expect(problems(report)).toEqual(['error supabase-anon-access public.public_notes']);
      expect(report.findings[0].fix).toBe(`REVOKE ALL ON public.public_notes FROM ${anon};`);
    });

    it('reports anon access to _prisma_migrations', async () => {
      const report = await databases.audit(
        `GRANT SELECT ON _prisma_migrations TO ${authenticated};`,
      );

      expect(problems(report)).toEqual(['error supabase-anon-access public._prisma_migrations']);
    });

    it('warns about grants on a tenant-owned table', async () => {
      const report = await databases.audit(`GRANT SELECT ON contacts TO ${authenticated};`);

      expect(problems(report)).toEqual(['warning supabase-anon-access public.contacts']);
    });
  });
});
