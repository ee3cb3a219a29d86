import type { PinoLogger } from 'nestjs-pino';

import type { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { MAX_BATCHES_PER_RUN, RetentionPruneService } from './retention-prune.service';
import type { PrunedTable, RetentionRepository } from './retention.repository';

interface Call {
  table: PrunedTable;
  retentionDays: number;
  batchSize: number;
}

/** Builds a repository whose tables hold `expired` rows each and lose one batch per call. */
function fakeRepository(expired: Record<PrunedTable, number>, onCall?: () => void) {
  const left = { ...expired };
  const calls: Call[] = [];
  const repository = {
    deleteExpiredBatch: (table: PrunedTable, retentionDays: number, batchSize: number) => {
      calls.push({ table, retentionDays, batchSize });
      onCall?.();

      const deleted = Math.min(left[table], batchSize);

      left[table] -= deleted;

      return Promise.resolve(deleted);
    },
  };

  return { repository: repository as unknown as RetentionRepository, calls };
}

function service(repository: RetentionRepository, config: AppConfig) {
  const logger = { setContext: () => undefined, info: jest.fn() };

  return {
    prune: new RetentionPruneService(repository, config, logger as unknown as PinoLogger),
    logger,
  };
}

const config = loadConfig({
  WEBHOOK_EVENTS_RETENTION_DAYS: '7',
  AUDIT_LOG_RETENTION_DAYS: '90',
  RETENTION_PRUNE_BATCH_SIZE: '10',
});

describe(RetentionPruneService.name, () => {
  describe('pruneAll', () => {
    it('deletes batches until one is short', async () => {
      const { repository, calls } = fakeRepository({ webhook_events: 25, audit_log: 10 });
      const { prune } = service(repository, config);

      expect(await prune.pruneAll()).toEqual([
        {
          table: 'webhook_events',
          retentionDays: 7,
          deleted: 25,
          batches: 3,
          isComplete: true,
        },
        { table: 'audit_log', retentionDays: 90, deleted: 10, batches: 2, isComplete: true },
      ]);
      expect(calls).toContainEqual({ table: 'audit_log', retentionDays: 90, batchSize: 10 });
    });

    it('stops at the batch limit of one run', async () => {
      const { repository } = fakeRepository({ webhook_events: 1_000_000, audit_log: 0 });
      const { prune, logger } = service(repository, config);
      const [inbox] = await prune.pruneAll();

      expect(inbox).toMatchObject({
        deleted: MAX_BATCHES_PER_RUN * 10,
        batches: MAX_BATCHES_PER_RUN,
        isComplete: false,
      });
      expect(logger.info).toHaveBeenCalledWith(
        inbox,
        'Pruned expired rows; the rest waits for the next run',
      );
    });

    it('stops between batches once aborted', async () => {
      const controller = new AbortController();
      const { repository, calls } = fakeRepository({ webhook_events: 100, audit_log: 100 }, () => {
        if (calls.length === 2) {
          controller.abort();
        }
      });
      const { prune } = service(repository, config);
      const outcomes = await prune.pruneAll(controller.signal);

      expect(calls).toHaveLength(2);
      expect(outcomes.map((outcome) => [outcome.batches, outcome.isComplete])).toEqual([
        [2, false],
        [0, false],
      ]);
    });
  });
});
