import type { AuditReport } from '../run-audit';
import { renderTable } from './table-report';
import { wrapText } from './wrap-text';

function report(overrides: Partial<AuditReport> = {}): AuditReport {
  return {
    database: 'aias',
    appRole: 'aias_app',
    schemas: ['public'],
    passed: false,
    summary: { error: 1, warning: 0, info: 0 },
    findings: [
      {
        check: 'rls-forced',
        severity: 'error',
        object: 'public.contacts',
        problem: 'Row-level security is enabled but not forced.',
        fix: 'ALTER TABLE public.contacts FORCE ROW LEVEL SECURITY;',
      },
    ],
    ...overrides,
  };
}

describe('renderTable', () => {
  it('lays out one row per finding with the fix below the problem', () => {
    const lines = renderTable(report(), 100).split('\n');

    expect(lines[0]).toBe('Database audit of aias for role aias_app (schemas: public)');
    expect(lines[2]).toBe('SEVERITY  CHECK       OBJECT           PROBLEM AND HOW TO FIX');
    expect(lines[4]).toBe(
      'error     rls-forced  public.contacts  Row-level security is enabled but not forced.',
    );
    expect(lines[5]).toBe(
      '                                       Fix: ALTER TABLE public.contacts FORCE ROW LEVEL SECURITY;',
    );
    expect(lines.at(-2)).toBe('1 error, 0 warnings, 0 info: FAILED');
  });

  it('keeps lines within the width', () => {
    const lines = renderTable(report(), 70).split('\n');

    expect(Math.max(...lines.slice(1).map((line) => line.length))).toBeLessThanOrEqual(70);
  });

  it('keeps 30 characters for the text on a narrow terminal', () => {
    const lines = renderTable(report(), 40).split('\n');

    expect(lines[4]).toBe('error     rls-forced  public.contacts  Row-level security is enabled');
  });

  it('prints only the summary without findings', () => {
    const output = renderTable(
      report({ passed: true, summary: { error: 0, warning: 0, info: 0 }, findings: [] }),
      100,
    );

    expect(output).toBe(
      'Database audit of aias for role aias_app (schemas: public)\n\n0 errors, 0 warnings, 0 info: passed\n',
    );
  });
});

describe('wrapText', () => {
  it('breaks at spaces', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
  });

  it('splits a word longer than the width', () => {
    expect(wrapText('public._prisma_migrations', 10)).toEqual([
      'public._pr',
      'isma_migra',
      'tions',
    ]);
  });

  it('returns one empty line for empty text', () => {
    expect(wrapText('', 10)).toEqual(['']);
  });
});
