import { Inject, Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { RetentionRepository } from './retention.repository';
import type { PrunedTable } from './retention.repository';

/** Batches per table and run; the rest waits for the next run, so one run stays bounded. */
export const MAX_BATCHES_PER_RUN = 500;

export interface PruneOutcome {
  table: PrunedTable;
  retentionDays: number;
  deleted: number;
  batches: number;
  /** False when the run stopped at MAX_BATCHES_PER_RUN or on shutdown with expired rows left. */
  isComplete: boolean;
}

/**
 * Deletes expired webhook_events and audit_log rows in batches of RETENTION_PRUNE_BATCH_SIZE. Each
 * batch is one statement that commits on its own, so row locks last one batch, never the whole run.
 */
@Injectable()
export class RetentionPruneService {
  constructor(
    private readonly retention: RetentionRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(RetentionPruneService.name);
  }

  /** Prunes both tables; an aborted signal (shutdown) stops between batches. */
  async pruneAll(signal?: AbortSignal): Promise<PruneOutcome[]> {
    const { webhookEventsDays, auditLogDays } = this.config.retention;

    return [
      await this.pruneTable('webhook_events', webhookEventsDays, signal),
      await this.pruneTable('audit_log', auditLogDays, signal),
    ];
  }

  private async pruneTable(
    table: PrunedTable,
    retentionDays: number,
    signal?: AbortSignal,
  ): Promise<PruneOutcome> {
    const { batchSize } = this.config.retention;
    const outcome: PruneOutcome = {
      table,
      retentionDays,
      deleted: 0,
      batches: 0,
      isComplete: false,
    };

    while (outcome.batches < MAX_BATCHES_PER_RUN && !signal?.aborted) {
      const deleted = await this.retention.deleteExpiredBatch(table, retentionDays, batchSize);

      outcome.batches += 1;
      outcome.deleted += deleted;

      if (deleted < batchSize) {
        outcome.isComplete = true;
        break;
      }
    }

    this.logger.info(
      outcome,
      outcome.isComplete
        ? 'Pruned expired rows'
        : 'Pruned expired rows; the rest waits for the next run',
    );

    return outcome;
  }
}
