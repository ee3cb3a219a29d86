import pino from 'pino';
import type { DestinationStream } from 'pino';

/** Maximum time a log line waits in the buffer before it is written. */
export const LOG_FLUSH_INTERVAL_MS = 1000;

/**
 * Standard output for log lines. With a buffer, lines are collected and written with one
 * asynchronous write per `bufferBytes`, and at least every LOG_FLUSH_INTERVAL_MS. pino writes
 * what is left when the process exits, but a process killed with SIGKILL loses the buffered lines.
 * Without a buffer (0), every line is one synchronous write, which cost about a fifth of the
 * service's CPU per ingested message in the ingest benchmark (see BENCHMARKS.md).
 */
export function stdoutDestination(bufferBytes: number): DestinationStream {
  if (bufferBytes === 0) {
    return pino.destination({ dest: 1, sync: true });
  }

  const stream = pino.destination({ dest: 1, sync: false, minLength: bufferBytes });
  const timer = setInterval(() => stream.flush(), LOG_FLUSH_INTERVAL_MS);

  timer.unref();
  stream.once('close', () => clearInterval(timer));

  return stream;
}
