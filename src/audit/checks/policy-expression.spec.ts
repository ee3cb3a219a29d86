import {
  constrainsToTenant,
  isAlwaysTrue,
  splitTopLevel,
  stripOuterParentheses,
} from './policy-expression';

// Expressions exactly as pg_get_expr prints them on PostgreSQL 15.
const projectPolicy =
  "(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)";
const subSelect =
  "(tenant_id = ( SELECT (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid AS \"nullif\"))";
const withExtraCondition =
  "((tenant_id = (current_setting('app.tenant_id'::text))::uuid) AND (source <> 'x'::text))";
const nestedAnd =
  "((source = 'a'::text) AND (tenant_id = (current_setting('app.tenant_id'::text))::uuid) AND (name = 'b'::text))";
const reversed = "((current_setting('app.tenant_id'::text, true))::uuid = tenant_id)";
const orWidened =
  "((tenant_id = (current_setting('app.tenant_id'::text))::uuid) OR (source = 'x'::text))";
const otherSetting =
  "(tenant_id = (NULLIF(current_setting('app.other'::text, true), ''::text))::uuid)";
const textComparison = "((tenant_id)::text = current_setting('app.tenant_id'::text, true))";
const fakeFunction = "(tenant_id = (public.current_setting('app.tenant_id'::text, true))::uuid)";
const otherColumn =
  "(contact_id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)";
const rowDependentFallback =
  "(tenant_id = (NULLIF(current_setting('app.tenant_id'::text, true), (tenant_id)::text))::uuid)";

describe('constrainsToTenant', () => {
  it.each([
    ['the project policy', projectPolicy],
    ['a scalar sub-select', subSelect],
    ['an AND with another condition', withExtraCondition],
    ['a nested AND chain', nestedAnd],
    ['the setting on the left', reversed],
  ])('accepts %s', (_name, expression) => {
    expect(constrainsToTenant(expression, 'tenant_id', 'app.tenant_id')).toBe(true);
  });

  it.each([
    ['an OR that widens it', orWidened],
    ['another setting', otherSetting],
    ['a comparison as text', textComparison],
    ['a function outside pg_catalog', fakeFunction],
    ['another column', otherColumn],
    ['a fallback that reads the row', rowDependentFallback],
    ['true', 'true'],
  ])('rejects %s', (_name, expression) => {
    expect(constrainsToTenant(expression, 'tenant_id', 'app.tenant_id')).toBe(false);
  });

  it('checks the column it is given', () => {
    const tenantsPolicy =
      "(id = (NULLIF(current_setting('app.tenant_id'::text, true), ''::text))::uuid)";

    expect(constrainsToTenant(tenantsPolicy, 'id', 'app.tenant_id')).toBe(true);
    expect(constrainsToTenant(tenantsPolicy, 'tenant_id', 'app.tenant_id')).toBe(false);
  });
});

describe('isAlwaysTrue', () => {
  it.each([
    ['true', true],
    ['(true OR false)', true],
    ["((source = 'x'::text) OR true)", true],
    ['(true AND true)', true],
    ['(true AND false)', false],
    [projectPolicy, false],
    ["(note = 'true'::text)", false],
  ])('%s is %s', (expression, expected) => {
    expect(isAlwaysTrue(expression)).toBe(expected);
  });
});

describe('splitTopLevel', () => {
  it('ignores separators inside parentheses and quotes', () => {
    expect(splitTopLevel("(a AND b) AND c = ' AND ' AND d", ' AND ')).toEqual([
      '(a AND b)',
      "c = ' AND '",
      'd',
    ]);
  });
});

describe('stripOuterParentheses', () => {
  it('keeps parentheses that do not enclose everything', () => {
    expect(stripOuterParentheses('((a) AND (b))')).toBe('(a) AND (b)');
    expect(stripOuterParentheses('(a) AND (b)')).toBe('(a) AND (b)');
  });
});
