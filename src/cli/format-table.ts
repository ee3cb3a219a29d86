/** Formats rows as left-aligned columns under an upper-case header, for terminal output. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => cell.padEnd(widths[column]))
      .join('  ')
      .trimEnd();

  return [line(header.map((title) => title.toUpperCase())), ...rows.map(line)].join('\n');
}
