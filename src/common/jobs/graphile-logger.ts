import { Logger as GraphileLogger } from 'graphile-worker';
import type { PinoLogger } from 'nestjs-pino';

/** Builds a graphile-worker logger that writes through pino with the worker, job and task ids. */
export function graphileLogger(logger: PinoLogger): GraphileLogger {
  return new GraphileLogger((scope) => (level, message, meta) => {
    const context = { workerId: scope.workerId, jobId: scope.jobId, task: scope.taskIdentifier };
    const error = (meta as { error?: unknown } | undefined)?.error;

    switch (String(level)) {
      case 'error':
        logger.error({ ...context, err: error }, message);
        break;
      case 'warning':
        logger.warn({ ...context, err: error }, message);
        break;
      default:
        // graphile-worker logs every completed job at info level; that belongs in debug here.
        logger.debug(context, message);
    }
  });
}
