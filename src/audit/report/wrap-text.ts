/** Breaks text into lines of at most `width` characters, at spaces where possible. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';

  for (const word of text.split(/\s+/).filter((item) => item.length > 0)) {
    let rest = word;

    while (rest.length > width) {
      if (line) {
        lines.push(line);
        line = '';
      }

      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }

    if (!line) {
      line = rest;
    } else if (line.length + 1 + rest.length <= width) {
      line = `${line} ${rest}`;
    } else {
      lines.push(line);
      line = rest;
    }
  }

  if (line || lines.length === 0) {
    lines.push(line);
  }

  return lines;
}
