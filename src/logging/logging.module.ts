import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

import { Module, RequestMethod } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import type { Params } from 'nestjs-pino';
import type { Bindings, DestinationStream, TransportTargetOptions } from 'pino';

import { maskSensitive } from '../common/logging/mask-sensitive';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { redactPaths } from './redact-paths';
import { RejectionLogSampler } from './rejection-log-sampler';
import { redactUrl } from './redact-url';
import { stdoutDestination } from './stdout-destination';
import { uuidPattern } from '../common/validation/uuid-pattern';

const requestIdPattern = /^[A-Za-z0-9._:-]{8,128}$/;
// Seven digits, each pair at most one separator apart: a phone number however it is written.
const phoneLikeDigits = /\d(?:[._:-]?\d){6}/;
const tokenPrefix = /(?:aias|whsec)_/i;

/**
 * Keeps a well-formed incoming X-Request-Id so one id follows a request across services. An id that
 * may hold a phone number or a token is replaced, because it is written on every line of the
 * request. A UUID is always kept.
 */
export function requestIdFor(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];

  if (typeof incoming !== 'string' || !requestIdPattern.test(incoming)) {
    return randomUUID();
  }

  const isKept =
    uuidPattern.test(incoming) ||
    (!phoneLikeDigits.test(incoming) &&
      !tokenPrefix.test(incoming) &&
      maskSensitive(incoming) === incoming);

  return isKept ? incoming : randomUUID();
}

function transportTargets(config: AppConfig): TransportTargetOptions[] | undefined {
  const { logging } = config;
  const targets: TransportTargetOptions[] = [];

  if (logging.pretty) {
    targets.push({ target: 'pino-pretty', level: logging.level, options: { singleLine: true } });
  }

  if (logging.file) {
    targets.push({
      target: 'pino-roll',
      level: logging.level,
      options: {
        file: logging.file.path,
        size: logging.file.size,
        frequency: logging.file.frequency,
        limit: { count: logging.file.keep },
        mkdir: true,
      },
    });

    if (!logging.pretty) {
      targets.push({ target: 'pino/file', level: logging.level, options: { destination: 1 } });
    }
  }

  return targets.length > 0 ? targets : undefined;
}

export function loggerParams(config: AppConfig, destination?: DestinationStream): Params {
  const targets = destination ? undefined : transportTargets(config);
  const { rejectionSampleMs } = config.logging;
  const rejections = rejectionSampleMs > 0 ? new RejectionLogSampler(rejectionSampleMs) : undefined;

  return {
    pinoHttp: {
      level: config.logging.level,
      base: { service: 'aias-backend', version: config.version, commit: config.commit },
      // Fastify assigns the id (see createHttpAdapter); pino-http reuses the request's existing id.
      redact: { paths: redactPaths, censor: '[redacted]' },
      // Lines carry the request as req (id, method, url). The quiet logger (reqId only) would be a
      // per-request parent of the full one, and V8 gives such a parent a hidden class of its own.
      quietReqLogger: false,
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        // Response headers repeat what the line already carries (request id, rate-limit fields),
        // and serialising and redacting them on every line costs CPU for nothing.
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      // For a 5xx without an error of its own, pino-http adds a generated error with a stack to
      // the request line. The exception filter already logs the real error (once per interval
      // during an outage), so the request line keeps only the status.
      customErrorObject: (_req: IncomingMessage, _res: ServerResponse, _error: Error, fields) => {
        const line = { ...(fields as Record<string, unknown>) };

        delete line.err;

        return line;
      },
      ...(rejections && {
        customLogLevel: (_req: IncomingMessage, res: ServerResponse) => rejections.levelFor(res),
        // Returns undefined when there is nothing to add, so pino-http adds no child logger.
        customProps: (_req: IncomingMessage, res: ServerResponse) =>
          rejections.fieldsFor(res) as Bindings,
      }),
      transport: targets ? { targets } : undefined,
      // Transports write from a worker thread, and plain stdout is written from this thread.
      stream: destination ?? (targets ? undefined : stdoutDestination(config.logging.bufferBytes)),
    },
    // Fields a handler adds with addRequestLogFields also reach the request's completion line, so
    // one line per request can carry its outcome.
    assignResponse: true,
    // Probes arrive every few seconds and would drown the request log.
    exclude: [
      { method: RequestMethod.ALL, path: 'health' },
      { method: RequestMethod.ALL, path: 'health/*path' },
    ],
  };
}

/**
 * Structured JSON logs. `destination` replaces stdout and file output: tests pass a stream that
 * reads the lines, and the CLI passes stderr.
 */
@Module({})
export class LoggingModule {
  static forRoot(destination?: DestinationStream): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRootAsync({
          inject: [APP_CONFIG],
          useFactory: (config: AppConfig) => loggerParams(config, destination),
        }),
      ],
    };
  }
}
