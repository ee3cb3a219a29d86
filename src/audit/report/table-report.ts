import type { Finding } from '../finding';
import type { AuditReport } from '../run-audit';
import { wrapText } from './wrap-text';

const headers = ['SEVERITY', 'CHECK', 'OBJECT', 'PROBLEM AND HOW TO FIX'];
const gap = '  ';
const minimumTextWidth = 30;
const maximumObjectWidth = 36;

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 || noun === 'info' ? '' : 's'}`;
}

function columnWidths(findings: Finding[], totalWidth: number): number[] {
  const widest = (index: number, values: string[]): number =>
    Math.max(headers[index].length, ...values.map((value) => value.length));
  const severity = widest(
    0,
    findings.map((finding) => finding.severity),
  );
  const check = widest(
    1,
    findings.map((finding) => finding.check),
  );
  const object = Math.min(
    maximumObjectWidth,
    widest(
      2,
      findings.map((finding) => finding.object),
    ),
  );
  const text = Math.max(minimumTextWidth, totalWidth - severity - check - object - gap.length * 3);

  return [severity, check, object, text];
}

function renderRow(cells: string[][], widths: number[]): string[] {
  const height = Math.max(...cells.map((lines) => lines.length));
  const lines: string[] = [];

  for (let line = 0; line < height; line += 1) {
    lines.push(
      cells
        .map((cellLines, index) => (cellLines[line] ?? '').padEnd(widths[index]))
        .join(gap)
        .trimEnd(),
    );
  }

  return lines;
}

/**
 * Renders the report as a plain-text table that fits `totalWidth` columns where it can. The last
 * column contains the problem and, on the lines below it, the fix; it never gets narrower than 30
 * characters, so a very narrow terminal wraps lines.
 */
export function renderTable(report: AuditReport, totalWidth: number): string {
  const output = [
    `Database audit of ${report.database} for role ${report.appRole} (schemas: ${report.schemas.join(', ')})`,
    '',
  ];

  if (report.findings.length > 0) {
    const widths = columnWidths(report.findings, totalWidth);

    output.push(
      ...renderRow(
        headers.map((header) => [header]),
        widths,
      ),
    );

    for (const finding of report.findings) {
      const details = [
        ...wrapText(finding.problem, widths[3]),
        ...wrapText(`Fix: ${finding.fix}`, widths[3]),
      ];

      output.push(
        '',
        ...renderRow(
          [[finding.severity], [finding.check], wrapText(finding.object, widths[2]), details],
          widths,
        ),
      );
    }

    output.push('');
  }

  const { error, warning, info } = report.summary;

  output.push(
    `${plural(error, 'error')}, ${plural(warning, 'warning')}, ${plural(info, 'info')}: ${report.passed ? 'passed' : 'FAILED'}`,
  );

  return `${output.join('\n')}\n`;
}
