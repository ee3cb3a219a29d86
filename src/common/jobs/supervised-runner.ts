import { EventEmitter } from 'node:events';

import { run } from 'graphile-worker';
import type { Runner, RunnerOptions, WorkerEvents } from 'graphile-worker';
import type { PinoLogger } from 'nestjs-pino';
import { Pool } from 'pg';

import { graphileLogger } from './graphile-logger';
import { WorkerLiveness } from './worker-liveness';

// Wait between attempts to start a new runner while the database is still unreachable.
const restartRetryMs = 2000;

export interface SupervisedRunnerOptions {
  /** Name of the runner in logs and errors, such as "Reply worker". */
  name: string;
  databaseUrl?: string;
  poolSize: number;
  /** A worker whose heartbeat is older than this is taken as dead and its jobs are released. */
  staleAfterMs: number;
  /** graphile-worker's options except the pool, events, logger and signal handling. */
  runnerOptions: Omit<RunnerOptions, 'pgPool' | 'events' | 'logger' | 'noHandleSignals'>;
  /** Called when a worker died or the runner stopped on a fatal error, before the restart. */
  onFailure?: (error: unknown, workerId?: string) => void;
}

/**
 * Runs a graphile-worker runner on a pool of its own, with heartbeats for its workers
 * (WorkerLiveness), and keeps it going. graphile-worker 0.16 ends a worker for good when it
 * cannot release or complete a job (for example when the database goes away in the middle of
 * one) and does not replace it, and its runner stops on a fatal error. Either way the runner is
 * stopped, which waits for its other running jobs, and a new one is started, retrying every
 * restartRetryMs while the database is unreachable. The job of a dead worker stays locked until
 * WorkerLiveness releases it.
 */
export class SupervisedRunner {
  private readonly events: WorkerEvents = new EventEmitter();
  private pool?: Pool;
  private liveness?: WorkerLiveness;
  private runner?: Runner;
  private restarting?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly options: SupervisedRunnerOptions,
    private readonly logger: PinoLogger,
  ) {
    this.events.on('worker:create', ({ worker }) => this.liveness?.add(worker.workerId));
    this.events.on('worker:stop', ({ worker }) => this.liveness?.remove(worker.workerId));
    this.events.on('worker:fatalError', ({ worker, error }) => {
      this.logger.error(
        { err: error, workerId: worker.workerId },
        `${options.name}: a worker died`,
      );
      options.onFailure?.(error, worker.workerId);
      this.restart();
    });
    this.events.on('pool:listen:error', ({ error }) => {
      this.logger.warn({ err: error }, 'Job queue LISTEN connection failed; retrying');
    });
  }

  /** Starts the runner. Throws an error that names the step to take when the job queue cannot be used. */
  async start(): Promise<void> {
    const pool = new Pool({
      connectionString: this.options.databaseUrl,
      max: this.options.poolSize,
    });

    this.pool = pool;
    // Created before the runner, so its first workers are registered as they start.
    this.liveness = new WorkerLiveness(pool, this.options.staleAfterMs, this.logger);

    try {
      this.runner = await this.startRunner();
    } catch (error) {
      this.pool = undefined;
      this.liveness = undefined;
      await pool.end();
      throw new Error(
        `Starting the ${this.options.name.toLowerCase()} failed: ${String(error)}. If the job queue schema is missing, run npm run db:migrate as the owner role.`,
      );
    }

    this.watch(this.runner);
    this.liveness.start();
  }

  /** Stops the runner, after any replacement under way, waits for its running jobs and closes the pool. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;

    const runner = this.runner;

    this.runner = undefined;
    await runner?.stop().catch((error: unknown) => {
      this.logger.warn({ err: error }, `${this.options.name} had already stopped`);
    });
    await this.liveness?.stop();
    await this.pool?.end();
    this.pool = undefined;
  }

  // A call while a replacement is under way, or after stop(), does nothing.
  private restart(): void {
    if (this.restarting || this.stopping || !this.runner) {
      return;
    }

    this.restarting = this.replace().finally(() => {
      this.restarting = undefined;
    });
  }

  private startRunner(): Promise<Runner> {
    return run({
      ...this.options.runnerOptions,
      pgPool: this.pool,
      noHandleSignals: true,
      logger: graphileLogger(this.logger),
      events: this.events,
    });
  }

  private async replace(): Promise<void> {
    const old = this.runner;

    this.runner = undefined;
    await old?.stop().catch(() => undefined);

    while (!this.stopping) {
      try {
        const runner = await this.startRunner();

        this.runner = runner;
        this.watch(runner);
        this.logger.info(`${this.options.name} restarted`);

        return;
      } catch (error) {
        this.logger.warn(
          { err: error },
          `Restarting the ${this.options.name.toLowerCase()} failed; retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, restartRetryMs));
      }
    }
  }

  // The runner's promise rejects when graphile-worker stops on an error. The process would then
  // take no more jobs, so the runner is replaced.
  private watch(runner: Runner): void {
    runner.promise.catch((error: unknown) => {
      if (this.runner !== runner) {
        return;
      }

      this.logger.error({ err: error }, `${this.options.name} stopped after a fatal error`);
      this.options.onFailure?.(error);
      this.restart();
    });
  }
}
