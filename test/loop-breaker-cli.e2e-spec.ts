import { auditEntries, querySuperuser } from './support/audit-entries';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { runCli } from './support/run-cli';

interface LoopColumns {
  loop_min_reply_seconds: number;
  loop_fast_turns: number;
  loop_repeat_count: number;
}

describe('CLI tenant loop-breaker', () => {
  let tenant: SeededTenant;
  let slug: string;

  const columnsOf = async (): Promise<LoopColumns> =>
    (
      await querySuperuser<LoopColumns>(
        'SELECT loop_min_reply_seconds, loop_fast_turns, loop_repeat_count FROM tenants WHERE id = $1',
        [tenant.tenantId],
      )
    )[0];

  beforeEach(async () => {
    tenant = await seedTenant();
    slug = `t-${tenant.tenantId}`;
  });

  it('shows the defaults without writing', async () => {
    const result = await runCli(['tenant', 'loop-breaker', slug]);

    expect(result).toEqual({
      stdout: `Loop breaker of ${slug}: min reply seconds 4, fast turns 3, repeat count 3\n`,
      stderr: '',
      exitCode: 0,
    });
    expect(await auditEntries(tenant.tenantId, 'tenant.loop_breaker_changed')).toEqual([]);
  });

  it('shows the settings as JSON', async () => {
    const result = await runCli(['tenant', 'loop-breaker', tenant.tenantId, '--json']);

    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      slug,
      settings: { minReplySeconds: 4, fastTurns: 3, repeatCount: 3 },
    });
  });

  it('sets all three and audits the change', async () => {
    const result = await runCli([
      'tenant',
      'loop-breaker',
      slug,
      '--min-reply-seconds',
      '10',
      '--fast-turns',
      '5',
      '--repeat-count',
      '4',
      '--actor',
      'alice',
    ]);

    expect(result).toEqual({
      stdout: `Loop breaker of ${slug}: min reply seconds 10, fast turns 5, repeat count 4\n`,
      stderr: '',
      exitCode: 0,
    });
    expect(await columnsOf()).toEqual({
      loop_min_reply_seconds: 10,
      loop_fast_turns: 5,
      loop_repeat_count: 4,
    });
    expect(await auditEntries(tenant.tenantId, 'tenant.loop_breaker_changed')).toEqual([
      {
        actor: 'alice',
        action: 'tenant.loop_breaker_changed',
        details: {
          slug,
          before: { minReplySeconds: 4, fastTurns: 3, repeatCount: 3 },
          after: { minReplySeconds: 10, fastTurns: 5, repeatCount: 4 },
        },
      },
    ]);
  });

  it('changes only what is given', async () => {
    await runCli(['tenant', 'loop-breaker', slug, '--repeat-count', '2']);
    await runCli(['tenant', 'loop-breaker', slug, '--min-reply-seconds', '0']);

    const entries = await auditEntries(tenant.tenantId, 'tenant.loop_breaker_changed');

    expect(await columnsOf()).toEqual({
      loop_min_reply_seconds: 0,
      loop_fast_turns: 3,
      loop_repeat_count: 2,
    });
    expect(entries.map((entry) => entry.details.after)).toEqual([
      { minReplySeconds: 4, fastTurns: 3, repeatCount: 2 },
      { minReplySeconds: 0, fastTurns: 3, repeatCount: 2 },
    ]);
    expect(entries.map((entry) => entry.actor)).toEqual(['test-operator', 'test-operator']);
  });

  it('accepts the upper bounds', async () => {
    const result = await runCli([
      'tenant',
      'loop-breaker',
      slug,
      '--min-reply-seconds',
      '600',
      '--fast-turns',
      '50',
      '--repeat-count',
      '50',
    ]);

    expect(result.exitCode).toBe(0);
    expect(await columnsOf()).toEqual({
      loop_min_reply_seconds: 600,
      loop_fast_turns: 50,
      loop_repeat_count: 50,
    });
  });

  it.each([
    [['--min-reply-seconds', '601'], '--min-reply-seconds must be an integer from 0 to 600'],
    [['--min-reply-seconds', '-1'], '--min-reply-seconds must be an integer from 0 to 600'],
    [['--min-reply-seconds', '2.5'], '--min-reply-seconds must be an integer from 0 to 600'],
    [['--fast-turns', '0'], '--fast-turns must be an integer from 1 to 50'],
    [['--fast-turns', '51'], '--fast-turns must be an integer from 1 to 50'],
    [['--repeat-count', '1'], '--repeat-count must be an integer from 2 to 50'],
    [['--repeat-count', 'three'], '--repeat-count must be an integer from 2 to 50'],
    [['--repeat-count', ''], '--repeat-count must be an integer from 2 to 50'],
    [
      ['--fast-turns', '4', '--repeat-count', '1'],
      '--repeat-count must be an integer from 2 to 50',
    ],
  ])('rejects %j and changes nothing', async (options, message) => {
    const result = await runCli(['tenant', 'loop-breaker', slug, ...options]);

    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`Error: ${message}\n`);
    expect(await columnsOf()).toEqual({
      loop_min_reply_seconds: 4,
      loop_fast_turns: 3,
      loop_repeat_count: 3,
    });
    expect(await auditEntries(tenant.tenantId, 'tenant.loop_breaker_changed')).toEqual([]);
  });

  it('rejects an unknown tenant', async () => {
    const result = await runCli(['tenant', 'loop-breaker', 'no-such-tenant', '--fast-turns', '4']);

    expect(result.exitCode).toBe(1);
    expect(result.stderr).toBe(
      'Error: No tenant has the id or slug "no-such-tenant": run "tenant list" to see them\n',
    );
  });

  it('leaves other tenants unchanged', async () => {
    const other = await seedTenant();

    await runCli(['tenant', 'loop-breaker', slug, '--fast-turns', '7']);

    const [otherColumns] = await querySuperuser<LoopColumns>(
      'SELECT loop_min_reply_seconds, loop_fast_turns, loop_repeat_count FROM tenants WHERE id = $1',
      [other.tenantId],
    );

    expect(otherColumns).toEqual({
      loop_min_reply_seconds: 4,
      loop_fast_turns: 3,
      loop_repeat_count: 3,
    });
    expect((await columnsOf()).loop_fast_turns).toBe(7);
  });
});
