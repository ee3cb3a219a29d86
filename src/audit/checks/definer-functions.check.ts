import { retentionTables } from '../audit-target';
import type { AuditTarget } from '../audit-target';
import type { DefinerFunction } from '../catalog/definer-functions';
import type { Catalog } from '../catalog/read-catalog';
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

function isRetentionFunction(fn: DefinerFunction, target: AuditTarget): boolean {
  return fn.schema === target.retentionSchema && fn.owner === target.retentionRole;
}

/**
 * Reports whether a retention function stays in its exception: its owner may DELETE from the
 * retention tables and write nothing else, and the application role cannot become that owner. It
 * may be VOLATILE, because deleting is its job. Which rows it deletes is up to its policies and
 * its body, which the audit does not read.
 */
function retentionScopeFinding(fn: DefinerFunction, catalog: Catalog): Finding {
  const object = `function ${fn.name}`;
  const excess = fn.ownerWrites.filter(
    (write) => write.privilege !== 'DELETE' || !retentionTables.includes(write.table),
  );
  const isReachable = catalog.roles.reachable.some((role) => role.name === fn.owner);

  if (excess.length === 0 && !isReachable) {
    const deletable = fn.ownerWrites.map((write) => write.name);

    return {
      check: 'definer-retention-scope',
      severity: 'info',
      object,
      problem: `Retention function: its owner ${fn.owner} may write nothing but DELETE on ${deletable.join(', ') || 'no table'}, and the application role cannot become it.`,
      fix: `Nothing to do; keep ${fn.owner}'s write rights to DELETE on ${retentionTables.join(', ')}.`,
    };
  }

  const problems = [
    ...excess.map((write) => `may ${write.privilege} ${write.name}`),
    isReachable ? 'can be reached by the application role with SET ROLE' : null,
  ].filter((problem): problem is string => problem !== null);
  const fixes = [
    ...excess.map((write) => `REVOKE ${write.privilege} ON ${write.name} FROM ${fn.owner};`),
    isReachable ? `REVOKE ${fn.owner} FROM every role the application role can become;` : null,
  ].filter((fix): fix is string => fix !== null);

  return {
    check: 'definer-retention-scope',
    severity: 'error',
    object,
    problem: `A retention function may only delete rows of ${retentionTables.join(', ')}, but its owner ${fn.owner} ${problems.join(' and ')}.`,
    fix: fixes.join(' '),
  };
}

function functionFindings(fn: DefinerFunction, catalog: Catalog, target: AuditTarget): Finding[] {
  const object = `function ${fn.name}`;
  const findings: Finding[] = [];
  const path = searchPath(fn);
  const definerSchema = target.definerSchema;
  const isRetention = isRetentionFunction(fn, target);

  if (fn.schema !== definerSchema && !isRetention) {
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

  if (isRetention) {
    return [...findings, retentionScopeFinding(fn, catalog)];
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
 * write any audited table. The one exception is the retention functions: in the retention schema,
 * owned by the retention role, they may delete from the retention tables and nothing else (see
 * retentionScopeFinding). Checked are the definer functions in the audited schemas, in the
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
    .flatMap((fn) => functionFindings(fn, catalog, target));
}
