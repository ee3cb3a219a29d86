import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { JobHelpers } from 'graphile-worker';
import { PinoLogger } from 'nestjs-pino';

import { AlertService } from '../alerts/alert.service';
import { BlooioClient } from '../blooio/blooio-client';
import { SupervisedRunner } from '../common/jobs/supervised-runner';
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

    const supervisor = new SupervisedRunner(
      {
        name: 'Reply worker',
        databaseUrl: this.config.database.url,
        poolSize: settings.concurrency + 2,
        staleAfterMs: settings.staleAfterMs,
        runnerOptions: {
          concurrency: settings.concurrency,
          pollInterval: settings.pollIntervalMs,
          parsedCronItems: [],
          gracefulShutdownAbortTimeout: Math.max(
            this.config.shutdown.timeoutMs - shutdownMarginMs,
            1000,
          ),
          taskList: { [REPLY_TASK]: (payload, helpers) => this.runJob(payload, helpers) },
        },
        onFailure: (error, workerId) =>
          this.alerts.raise({
            kind: 'job_failed',
            message: workerId
              ? `A reply worker died after a fatal error; the job runner restarts: ${String(error)}`
              : `Reply worker stopped after a fatal error; the job runner restarts: ${String(error)}`,
            fingerprint: workerId ? 'reply_worker_fatal' : 'reply_worker_stopped',
            details: workerId ? { workerId } : undefined,
          }),
      },
      this.logger,
    );

    await supervisor.start();
    this.supervisor = supervisor;
    this.logger.info(
      { concurrency: settings.concurrency, pollIntervalMs: settings.pollIntervalMs },
      'Reply worker started',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    const supervisor = this.supervisor;

    this.supervisor = undefined;

    if (supervisor) {
      this.logger.info('Reply worker stopping: waiting for running jobs');
      await supervisor.stop();
    }
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
