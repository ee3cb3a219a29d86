/**
 * Tells whether a parsed JSON value nests objects and arrays deeper than `limit` levels. Iterative,
 * so it cannot overflow the stack on the very input it guards against: recursive code further on
 * (class-transformer, the validation pipe) would.
 */
export function isNestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];

  while (pending.length > 0) {
    const [current, depth] = pending.pop() as [unknown, number];

    if (current === null || typeof current !== 'object') {
      continue;
    }

    if (depth >= limit) {
      return true;
    }

    for (const child of Object.values(current)) {
      pending.push([child, depth + 1]);
    }
  }

  return false;
}
