function clean(text: string): string {
  return text.includes('\u0000') ? text.replaceAll('\u0000', '') : text;
}

const noKeys: ReadonlySet<string> = new Set();

/**
 * Removes U+0000 from every string and key of a parsed JSON value, in place, and returns it.
 * PostgreSQL text and jsonb cannot store that character, so a JSON `\u0000` would otherwise fail
 * the insert with a 500 on every retry of the same delivery. Iterative, like isNestedDeeperThan.
 * The values of the top-level keys in `keepValuesOf` are left as they are, so that validation can
 * reject an identifier with U+0000 instead of merging it with the same id without one.
 */
export function stripNullCharacters<T>(value: T, keepValuesOf = noKeys): T {
  if (typeof value === 'string') {
    return clean(value) as T;
  }

  const pending: unknown[] = [value];

  while (pending.length > 0) {
    const current = pending.pop();

    if (current === null || typeof current !== 'object') {
      continue;
    }

    const container = current as Record<string, unknown>;

    for (const key of Object.keys(container)) {
      const child = container[key];
      const cleanKey = clean(key);

      if (cleanKey !== key) {
        delete container[key];
      }

      if (current === value && keepValuesOf.has(cleanKey)) {
        container[cleanKey] = child;
        continue;
      }

      container[cleanKey] = typeof child === 'string' ? clean(child) : child;

      if (child !== null && typeof child === 'object') {
        pending.push(child);
      }
    }
  }

  return value;
}
