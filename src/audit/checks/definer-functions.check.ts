import type { DefinerFunction } from '../catalog/definer-functions';
import type { Finding } from '../finding';
import type { CheckContext } from './check-context';

function searchPath(fn: DefinerFunction): string[] | null {
  const setting = fn.settings.find((entry) => entry.startsWith('search_path='));

  if (setting === undefined) {
    return null;
  }

  return setting
    .slice('search_path='.length)
    .split(',')
    .map((schema) => schema.trim().replace(/^"(.*)"$/, '$1'));
}

function functionFindings(fn: DefinerFunction, definerSchema: string): Finding[] {
  const object = `function ${fn.name}`;
  const findings: Finding[] = [];
  const path = searchPath(fn);

  if (fn.schema !== definerSchema) {
    findings.push({
      check: 'definer-location',
      severity: 'error',
      object,
      problem: `A SECURITY DEFINER function outside schema ${definerSchema} runs with ${fn.owner}'s rights for every caller.`,
      fix: `ALTER FUNCTION ${fn.name} SECURITY INVOKER; or, if tenant resolution needs it, move it to ${definerSchema}.`,
    });
  }

  if (path === null) {
    findings.push({
      check: 'definer-search-path',
      severity: 'error',
      object,
      problem:
        "It has no fixed search_path, so the caller's search_path decides which tables and functions its unqualified names mean.",
      fix: `ALTER FUNCTION ${fn.name} SET search_path = pg_catalog, pg_temp;`,
    });
  } else if (path[path.length - 1] !== 'pg_temp') {
    findings.push({
      check: 'definer-search-path',
      severity: 'warning',
      object,
      problem: `Its search_path (${path.join(', ')}) does not end with pg_temp, so PostgreSQL searches the caller's temporary tables first.`,
      fix: `ALTER FUNCTION ${fn.name} SET search_path = ${[...path.filter((schema) => schema !== 'pg_temp'), 'pg_temp'].join(', ')};`,
    });
  }

  const ownerProblems = [
    fn.ownerCanLogin ? 'can log in' : null,
    fn.ownerIsSuperuser ? 'is a superuser' : null,
    fn.ownerBypassesRls ? 'has BYPASSRLS' : null,
  ].filter((problem): problem is string => problem !== null);

  if (ownerProblems.length > 0) {
    findings.push({
      check: 'definer-owner',
      severity: 'error',
      object,
      problem: `Its owner ${fn.owner} ${ownerProblems.join(' and ')}; a definer's owner must be a NOLOGIN role whose rights are only what the function needs.`,
      fix: `ALTER FUNCTION ${fn.name} OWNER TO <a NOLOGIN, NOSUPERUSER, NOBYPASSRLS role such as aias_resolver>;`,
    });
  }

  if (fn.publicCanExecute) {
    findings.push({
      check: 'definer-public-execute',
      severity: 'error',
      object,
      problem: "PUBLIC may execute it, so every role on the server can use its owner's rights.",
      fix: `REVOKE ALL ON FUNCTION ${fn.name} FROM PUBLIC; then GRANT EXECUTE to the application role only.`,
    });
  }

  const readOnlyProblems = [
    fn.volatility === 'volatile' ? 'is VOLATILE, so PostgreSQL lets it write' : null,
    fn.ownerWritableTables.length > 0
      ? `has an owner that may write ${fn.ownerWritableTables.join(', ')}`
      : null,
  ].filter((problem): problem is string => problem !== null);

  if (readOnlyProblems.length > 0) {
    findings.push({
      check: 'definer-read-only',
      severity: 'error',
      object,
      problem: `Tenant resolution only reads, but the function ${readOnlyProblems.join(' and ')}.`,
      fix: `ALTER FUNCTION ${fn.name} STABLE; and revoke INSERT, UPDATE, DELETE and TRUNCATE from ${fn.owner}.`,
    });
  }

  return findings;
}

/**
 * Reports SECURITY DEFINER functions wider than tenant resolution needs. Such functions are the one
 * sanctioned way around row-level security, so each must live in the tenant-resolution schema,
 * have a fixed search_path ending in pg_temp, be owned by a NOLOGIN role without SUPERUSER or
 * BYPASSRLS, not be executable by PUBLIC, be STABLE or IMMUTABLE, and have an owner that may not
 * write any audited table. Checked are the definer functions in the audited schemas, in the
 * tenant-resolution schema, and any other the application role can call.
 *
 * NOTE: which columns a function returns is left to review; the audit only bounds what its owner
 * may read and write.
 */
export function checkDefinerFunctions({ catalog, target }: CheckContext): Finding[] {
  return catalog.definerFunctions
    .filter(
      (fn) =>
        fn.appCanExecute ||
        fn.schema === target.definerSchema ||
        target.schemas.includes(fn.schema),
    )
    .flatMap((fn) => functionFindings(fn, target.definerSchema));
}
