/**
 * Reads policy expressions as pg_get_expr prints them (PostgreSQL 13 to 17): keywords in upper
 * case, every sub-expression in parentheses, string constants with an explicit cast.
 *
 * NOTE: this is a reading of the printed text, not of the parse tree. It accepts only the shapes
 * listed here and rejects anything else, so an unusual but safe predicate is reported rather than
 * an unsafe one passed.
 */

/** Removes parentheses that enclose the whole expression, as often as they do. */
export function stripOuterParentheses(expression: string): string {
  let current = expression.trim();

  while (current.startsWith('(') && closingParenthesis(current, 0) === current.length - 1) {
    current = current.slice(1, -1).trim();
  }

  return current;
}

/** Splits on a keyword or operator that appears outside parentheses and quotes. */
export function splitTopLevel(expression: string, separator: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;

  for (let index = 0; index < expression.length; index += 1) {
    const character = expression[index];

    if (quote) {
      quote = character === quote ? null : quote;
      continue;
    }

    if (character === "'" || character === '"') {
      quote = character;
    } else if (character === '(') {
      depth += 1;
    } else if (character === ')') {
      depth -= 1;
    } else if (depth === 0 && expression.startsWith(separator, index)) {
      parts.push(expression.slice(start, index).trim());
      start = index + separator.length;
      index = start - 1;
    }
  }

  parts.push(expression.slice(start).trim());

  return parts;
}

function closingParenthesis(expression: string, openIndex: number): number {
  let depth = 0;
  let quote: string | null = null;

  for (let index = openIndex; index < expression.length; index += 1) {
    const character = expression[index];

    if (quote) {
      quote = character === quote ? null : quote;
    } else if (character === "'" || character === '"') {
      quote = character;
    } else if (character === '(') {
      depth += 1;
    } else if (character === ')') {
      depth -= 1;

      if (depth === 0) {
        return index;
      }
    }
  }

  return -1;
}

/** Returns the conjuncts of a chain of ANDs, flattening nested ones. */
function conjuncts(expression: string): string[] {
  const parts = splitTopLevel(stripOuterParentheses(expression), ' AND ');

  if (parts.length === 1) {
    return parts;
  }

  return parts.flatMap(conjuncts);
}

/**
 * Reports whether the expression is the constant true, or an OR with a true branch, or an AND of
 * only true parts. Other tautologies such as (1 = 1) are not recognised; on tenant-owned tables
 * the tenant predicate check rejects them anyway.
 */
export function isAlwaysTrue(expression: string): boolean {
  const bare = stripOuterParentheses(expression);

  if (bare === 'true') {
    return true;
  }

  const disjuncts = splitTopLevel(bare, ' OR ');

  if (disjuncts.length > 1) {
    return disjuncts.some(isAlwaysTrue);
  }

  const parts = splitTopLevel(bare, ' AND ');

  return parts.length > 1 && parts.every(isAlwaysTrue);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Builds the accepted forms of "the tenant setting as a uuid", after parentheses are replaced by
 * spaces and the spacing is normalised:
 *   current_setting('app.tenant_id'[, true|false])::uuid
 *   NULLIF(current_setting('app.tenant_id'[, true|false]), '')::uuid
 * optionally wrapped in a scalar sub-select (SELECT … AS alias), which Supabase recommends so the
 * setting is read once per statement. Every accepted token is a constant, so the expression can
 * never depend on the row.
 */
function tenantSettingPattern(setting: string): RegExp {
  const read = `current_setting '${escapeRegExp(setting)}'::text(?:,(?:true|false))?`;

  return new RegExp(
    `^(?:SELECT )?(?:NULLIF ${read},''::text|${read})::uuid(?: AS "?[a-z_][a-z0-9_]*"?)?$`,
  );
}

function normaliseSpacing(expression: string): string {
  return expression
    .replace(/[()]/g, ' ')
    .replace(/\s+/g, ' ')
    .replace(/ ?, ?/g, ',')
    .replace(/ ::/g, '::')
    .trim();
}

function isColumnReference(expression: string, column: string): boolean {
  const bare = stripOuterParentheses(expression);
  const name = escapeRegExp(column);

  return new RegExp(`^(?:(?:"[^"]+"|[a-z_][a-z0-9_$]*)\\.)?(?:${name}|"${name}")$`).test(bare);
}

function isTenantEquality(expression: string, column: string, setting: string): boolean {
  const sides = splitTopLevel(stripOuterParentheses(expression), ' = ');

  if (sides.length !== 2) {
    return false;
  }

  const pattern = tenantSettingPattern(setting);
  const [left, right] = sides;

  return (
    (isColumnReference(left, column) && pattern.test(normaliseSpacing(right))) ||
    (isColumnReference(right, column) && pattern.test(normaliseSpacing(left)))
  );
}

/**
 * Reports whether the expression implies `column = <tenant setting>`: it is that equality, or an
 * AND chain with that equality as one of its parts. An OR at the top, or any other comparison,
 * does not count, because a row could then pass without belonging to the tenant.
 */
export function constrainsToTenant(expression: string, column: string, setting: string): boolean {
  return conjuncts(expression).some((part) => isTenantEquality(part, column, setting));
}
