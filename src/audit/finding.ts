export type Severity = 'error' | 'warning' | 'info';

/** One result of a check: what is wrong (or worth knowing) about which object, and how to fix it. */
export interface Finding {
  check: string;
  severity: Severity;
  object: string;
  problem: string;
  fix: string;
}

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Sorts errors first, then by check and object, so reports are stable between runs. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      severityOrder[a.severity] - severityOrder[b.severity] ||
      a.check.localeCompare(b.check) ||
      a.object.localeCompare(b.object),
  );
}

export function countBySeverity(findings: Finding[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };

  for (const finding of findings) {
    counts[finding.severity] += 1;
  }

  return counts;
}
