import { EventEmitter } from 'node:events';

import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { run } from 'graphile-worker';
import type { JobHelpers, Runner, WorkerEvents } from 'graphile-worker';
import { PinoLogger } from 'nestjs-pino';
import { Pool } from 'pg';

import { AlertService } from '../alerts/alert.service';
import { BlooioClient } from '../blooio/blooio-client';
import { graphileLogger } from '../common/jobs/graphile-logger';
import { SupervisedRunner } from '../common/jobs/supervised-runner';
import { WorkerLiveness } from '../common/jobs/worker-liveness';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { parseReplyJobPayload, REPLY_TASK } from './reply-jobs';
import { ReplyProcessor } from './reply-processor';

// Time left for closing the pools after running jobs had their chance to finish.
const shutdownMarginMs = 2000;

/**
 * Runs reply jobs with graphile-worker in this process: REPLY_WORKER_CONCURRENCY jobs at once,
 * woken by LISTEN/NOTIFY and polling every REPLY_WORKER_POLL_INTERVAL_MS for retries. Instances
 * share the queue safely because jobs are claimed with FOR UPDATE SKIP LOCKED. On shutdown it stops
 * taking jobs and waits for running ones. Their abort signal fires after SHUTDOWN_TIMEOUT_MS less a
 * margin, and a job cut short is retried later with the same idempotency key.
 */
@Injectable()
export class ReplyWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private supervisor?: SupervisedRunner;
  private pool?: Pool;
  private liveness?: WorkerLiveness;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly processor: ReplyProcessor,
    private readonly blooio: BlooioClient,
    private readonly alerts: AlertService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ReplyWorker.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    const settings = this.config.replies.worker;

    if (!settings.enabled) {
      this.logger.info(
        'Reply worker is disabled by REPLY_WORKER_ENABLED; this process only enqueues',
      );

      return;
    }

    if (!this.blooio.isConfigured()) {
      this.logger.warn(
        'BLOOIO_API_KEY is not set: the reply worker is not started and reply jobs stay queued',
      );

      return;
    }

    this.pool = new Pool({
      connectionString: this.config.database.url,
      max: settings.concurrency + 2,
    });
    this.liveness = new WorkerLiveness(this.pool, settings.staleAfterMs, this.logger);

    const events: WorkerEvents = new EventEmitter();
    const supervisor = new SupervisedRunner(
      'Reply worker',
      () => this.startRunner(events),
      this.logger,
      (error) =>
        this.alerts.raise({
          kind: 'job_failed',
          message: `Reply worker stopped after a fatal error; the job runner restarts: ${String(error)}`,
          fingerprint: 'reply_worker_stopped',
        }),
    );

    events.on('worker:create', ({ worker }) => this.liveness?.add(worker.workerId));
    events.on('worker:stop', ({ worker }) => this.liveness?.remove(worker.workerId));
    events.on('worker:fatalError', ({ worker, error }) => {
      this.logger.error({ err: error, workerId: worker.workerId }, 'A reply worker died');
      this.alerts.raise({
        kind: 'job_failed',
        message: `A reply worker died after a fatal error; the job runner restarts: ${String(error)}`,
        fingerprint: 'reply_worker_fatal',
        details: { workerId: worker.workerId },
      });
      supervisor.restart();
    });
    events.on('pool:listen:error', ({ error }) => {
      this.logger.warn({ err: error }, 'Job queue LISTEN connection failed; retrying');
    });

    try {
      await supervisor.start();
    } catch (error) {
      await this.pool.end();
      this.pool = undefined;
      throw new Error(
        `Starting the reply worker failed: ${String(error)}. If the job queue schema is missing, run npm run db:migrate as the owner role.`,
      );
    }

    this.supervisor = supervisor;
    this.liveness.start();
    this.logger.info(
      { concurrency: settings.concurrency, pollIntervalMs: settings.pollIntervalMs },
      'Reply worker started',
    );
  }

  private async startRunner(events: WorkerEvents): Promise<Runner> {
    const settings = this.config.replies.worker;

    return run({
      pgPool: this.pool,
      concurrency: settings.concurrency,
      pollInterval: settings.pollIntervalMs,
      noHandleSignals: true,
      parsedCronItems: [],
      gracefulShutdownAbortTimeout: Math.max(
        this.config.shutdown.timeoutMs - shutdownMarginMs,
        1000,
      ),
      logger: graphileLogger(this.logger),
      events,
      taskList: { [REPLY_TASK]: (payload, helpers) => this.runJob(payload, helpers) },
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    const supervisor = this.supervisor;

    this.supervisor = undefined;

    if (supervisor) {
      this.logger.info('Reply worker stopping: waiting for running jobs');
      await supervisor.stop();
    }

    await this.liveness?.stop();
    await this.pool?.end();
    this.pool = undefined;
  }

  private async runJob(payload: unknown, helpers: JobHelpers): Promise<void> {
    const job = parseReplyJobPayload(payload);

    if (!job) {
      this.logger.error({ jobId: helpers.job.id }, 'Reply job has an invalid payload; dropping it');

      return;
    }

    try {
      await this.processor.process(job, helpers.abortSignal);
    } catch (error) {
      const isLastAttempt = helpers.job.attempts >= helpers.job.max_attempts;

      this.logger.error(
        {
          err: error,
          ...job,
          attempt: helpers.job.attempts,
          maxAttempts: helpers.job.max_attempts,
        },
        isLastAttempt
          ? 'Reply job failed for the last time'
          : 'Reply job failed; it will be retried',
      );

      if (isLastAttempt) {
        await this.processor.giveUp(job, error);
      }

      throw error;
    }
  }
}
