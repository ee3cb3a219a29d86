import { Inject, Injectable } from '@nestjs/common';
import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { parseCronItems } from 'graphile-worker';
import type { CronItem } from 'graphile-worker';
import { PinoLogger } from 'nestjs-pino';

import { SupervisedRunner } from '../common/jobs/supervised-runner';
import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { RetentionPruneService } from './retention-prune.service';

/** The graphile-worker task that deletes expired webhook_events and audit_log rows. */
export const PRUNE_TASK = 'prune_expired_rows';

// A scheduled job wakes the runner at once through LISTEN/NOTIFY. The poll only finds retries and
// missed notifications, so a long interval keeps the idle runner cheap.
const pollIntervalMs = 10_000;
const shutdownMarginMs = 2000;

/**
 * Hourly, at minute 17. graphile-worker's cron records each tick in _private_known_crontabs, so
 * however many instances run the schedule, each tick adds one job. The queue runs one prune at a
 * time, and the job key makes a tick replace a job that is still waiting. A failed attempt k waits
 * e^k seconds, so the ninth of the 10 attempts would start about 79 minutes after the first. The
 * next tick therefore resets a failing job before it can end as permanently failed.
 */
export const pruneSchedule: CronItem = {
  task: PRUNE_TASK,
  match: '17 * * * *',
  identifier: PRUNE_TASK,
  options: {
    backfillPeriod: 0,
    maxAttempts: 10,
    queueName: 'retention',
    jobKey: PRUNE_TASK,
    jobKeyMode: 'replace',
  },
};

/**
 * Runs the retention prune on its own graphile-worker runner (concurrency 1), independent of the
 * reply worker, which only starts with a Blooio API key. Its workers send heartbeats like the
 * reply worker's, so no process's stale-lock sweep mistakes a long prune for a dead worker.
 */
@Injectable()
export class RetentionWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private supervisor?: SupervisedRunner;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prune: RetentionPruneService,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RetentionWorker.name);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.retention.enabled) {
      this.logger.info('Retention prune is disabled by RETENTION_PRUNE_ENABLED in this process');

      return;
    }

    const supervisor = new SupervisedRunner(
      {
        name: 'Retention prune runner',
        databaseUrl: this.config.database.url,
        poolSize: 3,
        staleAfterMs: this.config.replies.worker.staleAfterMs,
        runnerOptions: {
          concurrency: 1,
          pollInterval: pollIntervalMs,
          parsedCronItems: parseCronItems([pruneSchedule]),
          gracefulShutdownAbortTimeout: Math.max(
            this.config.shutdown.timeoutMs - shutdownMarginMs,
            1000,
          ),
          taskList: {
            [PRUNE_TASK]: async (_payload, helpers) => {
              await this.prune.pruneAll(helpers.abortSignal);
            },
          },
        },
      },
      this.logger,
    );

    await supervisor.start();
    this.supervisor = supervisor;
    this.logger.info(
      { schedule: pruneSchedule.match, ...this.config.retention },
      'Retention prune scheduled',
    );
  }

  async beforeApplicationShutdown(): Promise<void> {
    const supervisor = this.supervisor;

    this.supervisor = undefined;
    await supervisor?.stop();
  }
}
