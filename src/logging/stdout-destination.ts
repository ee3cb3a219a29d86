import pino from 'pino';
import type { DestinationStream } from 'pino';

/** Maximum time a log line waits in the buffer before it is written. */
export const LOG_FLUSH_INTERVAL_MS = 1000;

type BufferedStream = ReturnType<typeof pino.destination>;

const buffered = new Set<BufferedStream>();

// One listener for every buffered stream: apps created and closed in one process (tests, the CLI)
// would otherwise add a listener each.
process.once('exit', () => {
  for (const stream of buffered) {
    stream.flushSync();
  }
});

/**
 * Standard output for log lines. With a buffer, lines are collected and written with one
 * synchronous write per `bufferBytes`, at least every LOG_FLUSH_INTERVAL_MS, and on exit, so they
 * keep their order. A process killed with SIGKILL loses the buffered lines. Without a buffer (0),
 * every line is one write, which cost about a fifth of the service's CPU per ingested message in
 * the ingest benchmark (see BENCHMARKS.md).
 */
export function stdoutDestination(bufferBytes: number): DestinationStream {
  if (bufferBytes === 0) {
    return pino.destination({ dest: 1, sync: true });
  }

  // NOTE: asynchronous writes (sync: false) were tried first, but a write still in flight at exit
  // landed after the lines flushed on exit, out of order.
  const stream = pino.destination({ dest: 1, sync: true, minLength: bufferBytes });
  const timer = setInterval(() => stream.flush(), LOG_FLUSH_INTERVAL_MS);

  timer.unref();
  buffered.add(stream);
  stream.once('close', () => {
    clearInterval(timer);
    buffered.delete(stream);
  });

  return stream;
}
