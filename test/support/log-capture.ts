import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line as parsed JSON, for assertions on log content. */
export class LogCapture implements DestinationStream {
  readonly lines: Record<string, unknown>[] = [];
  readonly raw: string[] = [];

  write(line: string): void {
    this.raw.push(line);
    this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
}
