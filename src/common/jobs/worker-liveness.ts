import type { Pool } from 'pg';
import type { PinoLogger } from 'nestjs-pino';

const heartbeatRetentionHours = 24;

/**
 * Frees the jobs of crashed worker processes. graphile-worker 0.16 unlocks a job whose worker
 * died only after 4 hours. Each job runner here (the reply worker, the retention prune) records a
 * heartbeat for its workers every third of REPLY_WORKER_STALE_AFTER_MS. On the same beat it unlocks
 * jobs locked longer than that by workers of any runner whose heartbeat is older than that. A job
 * that runs long on a live worker keeps its lock.
 */
export class WorkerLiveness {
  private readonly workerIds = new Set<string>();
  private timer?: NodeJS.Timeout;
  private beat?: Promise<void>;

  constructor(
    private readonly pool: Pool,
    private readonly staleAfterMs: number,
    private readonly logger: PinoLogger,
  ) {}

  add(workerId: string): void {
    this.workerIds.add(workerId);
  }

  remove(workerId: string): void {
    this.workerIds.delete(workerId);
  }

  start(): void {
    const tick = (): void => {
      this.beat = this.heartbeatAndSweep().finally(() => {
        this.beat = undefined;
      });
    };

    tick();
    this.timer = setInterval(tick, Math.max(Math.floor(this.staleAfterMs / 3), 250));
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.beat;
  }

  private async heartbeatAndSweep(): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO job_queue.worker_heartbeats (worker_id, heartbeat_at)
         SELECT unnest($1::text[]), now()
         ON CONFLICT (worker_id) DO UPDATE SET heartbeat_at = now()`,
        [[...this.workerIds]],
      );

      const { rows } = await this.pool.query<{ worker_ids: string[] | null }>(
        `WITH stale AS (
           SELECT DISTINCT j.locked_by
           FROM graphile_worker._private_jobs AS j
           LEFT JOIN job_queue.worker_heartbeats AS h ON h.worker_id = j.locked_by
           WHERE j.locked_by IS NOT NULL
             AND j.locked_at < now() - make_interval(secs => $1::float8 / 1000)
             AND (h.heartbeat_at IS NULL OR h.heartbeat_at < now() - make_interval(secs => $1::float8 / 1000))
         ), unlocked AS (
           SELECT graphile_worker.force_unlock_workers(array_agg(locked_by)) FROM stale HAVING count(*) > 0
         )
         SELECT (SELECT array_agg(locked_by) FROM stale) AS worker_ids FROM unlocked`,
        [this.staleAfterMs],
      );
      const released = rows[0]?.worker_ids ?? [];

      if (released.length > 0) {
        this.logger.warn(
          { workerIds: released },
          'Released the jobs of workers that stopped sending heartbeats',
        );
      }

      await this.pool.query(
        `DELETE FROM job_queue.worker_heartbeats WHERE heartbeat_at < now() - make_interval(hours => $1)`,
        [heartbeatRetentionHours],
      );
    } catch (error) {
      this.logger.error({ err: error }, 'Worker heartbeat or stale-lock sweep failed');
    }
  }
}
