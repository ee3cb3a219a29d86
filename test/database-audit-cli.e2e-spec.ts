import { execFile } from 'node:child_process';
import path from 'node:path';

import { AuditDatabases, superuserUrl } from './support/audit-databases';

const projectRoot = path.join(__dirname, '..');

interface CliResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `npm run audit:db` as CI would and returns its exit status and output. */
function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const baseEnv = { ...process.env };

  delete baseEnv.AUDIT_DATABASE_URL;

  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'audit:db', '--', ...args],
      { cwd: projectRoot, env: { ...baseEnv, ...env } },
      (error, stdout, stderr) => {
        resolve({ status: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}

describe('Database audit command', () => {
  const databases = new AuditDatabases();
  let clean: string;
  let broken: string;

  beforeAll(async () => {
    await databases.createTemplate();
    clean = await databases.clone();
    broken = await databases.clone('ALTER TABLE contacts NO FORCE ROW LEVEL SECURITY');
  });

  afterAll(async () => {
    await databases.dropAll();
  });

  it('exits 0 with a table for a clean database', async () => {
    const result = await runCli([], { AUDIT_DATABASE_URL: superuserUrl(clean) });

    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`Database audit of ${clean} for role aias_app`);
    expect(result.stdout).toMatch(/SEVERITY\s+CHECK\s+OBJECT\s+PROBLEM AND HOW TO FIX/);
    expect(result.stdout).toContain('0 errors, 0 warnings, 7 info: passed');
  });

  it('exits 1 and names the fix for an error', async () => {
    const result = await runCli(['--admin-url', superuserUrl(broken)]);

    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/error\s+rls-forced\s+public\.contacts/);
    // The fix wraps where the column widths, which depend on every finding, put the break.
    expect(result.stdout).toMatch(
      /Fix: ALTER TABLE public\.contacts FORCE\s+ROW\s+LEVEL\s+SECURITY;/,
    );
    expect(result.stdout).toContain('1 error, 0 warnings, 7 info: FAILED');
  });

  it('prints JSON with --json', async () => {
    const result = await runCli(['--admin-url', superuserUrl(broken), '--json']);
    const report = JSON.parse(result.stdout);

    expect(result.status).toBe(1);
    expect(report.passed).toBe(false);
    expect(report.summary).toEqual({ error: 1, warning: 0, info: 7 });
    expect(report.findings[0]).toEqual({
      check: 'rls-forced',
      severity: 'error',
      object: 'public.contacts',
      problem: expect.stringContaining('not forced'),
      fix: 'ALTER TABLE public.contacts FORCE ROW LEVEL SECURITY;',
    });
  });

  it('exits 2 without a database URL', async () => {
    const result = await runCli([]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('pass --admin-url or set AUDIT_DATABASE_URL');
  });

  it('exits 2 for a schema that does not exist', async () => {
    const result = await runCli(['--admin-url', superuserUrl(clean), '--schemas', 'public,app']);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain('Schema app not found in the database');
  });

  it('exits 2 when the database does not exist', async () => {
    const result = await runCli(['--admin-url', superuserUrl(`${clean}_missing`)]);

    expect(result.status).toBe(2);
    expect(result.stderr).toContain(
      `The database audit could not run: database "${clean}_missing"`,
    );
  });
});
