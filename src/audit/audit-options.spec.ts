import path from 'node:path';

import { parseAuditCommand, UsageError } from './audit-options';

const url = 'postgresql://postgres@127.0.0.1:5432/aias';

describe('parseAuditCommand', () => {
  it('applies the defaults', () => {
    const command = parseAuditCommand(['--admin-url', url], {});

    expect(command).toEqual({
      json: false,
      target: {
        adminUrl: url,
        appRole: 'aias_app',
        schemas: ['public'],
        resolverRole: 'aias_resolver',
        definerSchema: 'tenant_resolution',
        retentionRole: 'aias_retention',
        retentionSchema: 'retention',
        supabaseRoles: ['anon', 'authenticated'],
        migrationsDir: path.resolve(__dirname, '..', '..', 'prisma', 'migrations'),
        migrationsSchema: 'public',
      },
    });
  });

  it('reads the URL from AUDIT_DATABASE_URL', () => {
    const command = parseAuditCommand([], { AUDIT_DATABASE_URL: url });

    expect(command?.target.adminUrl).toBe(url);
  });

  it('prefers --admin-url over the environment', () => {
    const command = parseAuditCommand(['--admin-url', url], {
      AUDIT_DATABASE_URL: 'postgresql://other@db/other',
    });

    expect(command?.target.adminUrl).toBe(url);
  });

  it('splits lists and takes the migrations schema from the first schema', () => {
    const command = parseAuditCommand(
      ['--admin-url', url, '--schemas', 'app, billing', '--supabase-roles', 'anon', '--json'],
      {},
    );

    expect(command?.target.schemas).toEqual(['app', 'billing']);
    expect(command?.target.migrationsSchema).toBe('app');
    expect(command?.target.supabaseRoles).toEqual(['anon']);
    expect(command?.json).toBe(true);
  });

  it('returns null for --help', () => {
    expect(parseAuditCommand(['--help'], {})).toBeNull();
  });

  it.each([
    [[], /pass --admin-url or set AUDIT_DATABASE_URL/],
    [['--admin-url', 'mysql://db/x'], /must start with postgresql:\/\//],
    [['--admin-url', url, '--schemas', ' , '], /--schemas is empty/],
    [['--admin-url', url, '--app-role', 'x'.repeat(64)], /--app-role must be a name/],
    [['--admin-url', url, '--verbose'], /Unknown option '--verbose'/],
    [['--admin-url', url, 'extra'], /positional/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseAuditCommand(argv, {})).toThrow(UsageError);
    expect(() => parseAuditCommand(argv, {})).toThrow(message);
  });

  it('keeps the URL out of its error messages', () => {
    expect(() => parseAuditCommand(['--admin-url', 'mysql://user:secret@db/x'], {})).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret') }),
    );
  });
});
