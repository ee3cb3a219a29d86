import path from 'node:path';

import { appUrl, ports, redisUrl } from './bench-config';
import type { BenchFixture } from './seed';
import type { ServerSpec } from './server-process';

export type TargetName =
  | 'bare-http'
  | 'express-baseline'
  | 'express-baseline-cached'
  | 'nest-fastify'
  | 'nest-express'
  | 'nest-fastify-before';

const tsNode = ['-r', 'ts-node/register/transpile-only'];

/** Limits high enough that no benchmark but the over-limit flood is ever throttled. */
const unthrottled = {
  RATE_LIMIT_IP_BURST_LIMIT: '1000000000',
  RATE_LIMIT_IP_SUSTAINED_LIMIT: '1000000000',
  RATE_LIMIT_TENANT_LIMIT: '1000000000',
};

/** Returns the environment of every database-backed server: production mode, info logs, pool of 10. */
function serviceEnv(fixture: BenchFixture, runTag: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    DATABASE_URL: appUrl,
    DATABASE_POOL_SIZE: '10',
    APP_ENCRYPTION_KEY: fixture.encryptionKey,
    REDIS_URL: redisUrl,
    RATE_LIMIT_KEY_PREFIX: `bench:${runTag}:`,
    LOG_LEVEL: 'info',
    // Ingest ends with the reply job queued. The worker that would send replies stays off, and the
    // outside services point at a closed local port, so nothing can leave the machine.
    REPLY_WORKER_ENABLED: 'false',
    // The hourly retention prune would add its own polling and deletes to the measured database.
    RETENTION_PRUNE_ENABLED: 'false',
    BLOOIO_BASE_URL: 'http://127.0.0.1:9',
    TELEGRAM_API_BASE_URL: 'http://127.0.0.1:9',
    ...unthrottled,
  };
}

/**
 * Reads extra variables for one target from a variable such as
 * BENCH_SERVICE_ENV="INGEST_CONCURRENCY=2 NODE_OPTIONS=--require=./a.cjs --max-semi-space-size=64", so
 * two settings of the same build can be compared in one run (with BENCH_BEFORE_REF=HEAD and
 * BENCH_BEFORE_ENV). A word that does not start with an upper-case NAME= continues the value before
 * it, so NODE_OPTIONS can hold several flags.
 */
export function extraEnv(value: string | undefined): Record<string, string> {
  const env: Record<string, string> = {};
  let last: string | undefined;

  for (const word of (value ?? '').split(' ').filter(Boolean)) {
    const pair = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(word);

    if (pair) {
      last = pair[1];
      env[last] = pair[2];
    } else if (last) {
      env[last] += ` ${word}`;
    }
  }

  return env;
}

/**
 * Reads Node.js flags for one target from a variable such as BENCH_SERVICE_NODE_ARGS="--single-threaded-gc",
 * for the V8 flags that NODE_OPTIONS does not accept.
 */
export function nodeArgs(value: string | undefined): string[] {
  return (value ?? '').split(' ').filter(Boolean);
}

/** Builds the spec of one server under test; `env` overrides the defaults (for example low limits). */
export function targetSpec(
  name: TargetName,
  fixture: BenchFixture,
  runTag: string,
  env: Record<string, string> = {},
): ServerSpec {
  const base = serviceEnv(fixture, runTag);

  switch (name) {
    case 'bare-http':
      return { name, port: ports.bareHttp, args: [...tsNode, 'bench/servers/bare-http.ts'] };
    case 'express-baseline':
      return {
        name,
        port: ports.expressBaseline,
        args: [...tsNode, 'bench/servers/express-baseline.ts'],
        env: { ...base, ...env },
      };
    case 'express-baseline-cached':
      return {
        name,
        port: ports.expressBaseline,
        args: [...tsNode, 'bench/servers/express-baseline.ts'],
        env: { ...base, BASELINE_SECRET_CACHE: '1', ...env },
      };
    case 'nest-fastify':
      return {
        name,
        port: ports.nestFastify,
        args: [...nodeArgs(process.env.BENCH_SERVICE_NODE_ARGS), 'dist/main.js'],
        env: { ...base, ...extraEnv(process.env.BENCH_SERVICE_ENV), ...env },
        readyPath: '/health/live',
      };
    case 'nest-fastify-before':
      return {
        name,
        port: ports.nestFastifyBefore,
        args: [
          ...nodeArgs(process.env.BENCH_BEFORE_NODE_ARGS),
          path.join(process.env.BENCH_BEFORE_DIR ?? '', 'dist/main.js'),
        ],
        env: { ...base, ...extraEnv(process.env.BENCH_BEFORE_ENV), ...env },
        readyPath: '/health/live',
      };
    case 'nest-express':
      return {
        name,
        port: ports.nestExpress,
        args: [...tsNode, 'bench/servers/nest-express.ts'],
        env: { ...base, ...env },
        readyPath: '/health/live',
      };
  }
}

/**
 * Returns the targets in the order one repeat measures them: each repeat starts one place later,
 * so over as many repeats as targets each target runs once in every position. In an A/A run of
 * one build, the copy measured second reached 10 % more messages per second at peak, probably
 * because a target measured right after another one inherits its dead rows and dirty pages.
 */
export function targetOrder<T>(targets: readonly T[], repeat: number): T[] {
  const shift = targets.length === 0 ? 0 : (repeat - 1) % targets.length;

  return [...targets.slice(shift), ...targets.slice(0, shift)];
}
