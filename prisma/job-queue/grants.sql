-- Grants the application role access to the job queue. Runs as the owner after graphile-worker's
-- own migrations, every time, so it must stay idempotent. Neither schema contains tenant data: a job's
-- payload carries only a tenant id and a message id, and the job reads tenant rows through
-- row-level security like any request.

GRANT USAGE ON SCHEMA graphile_worker TO aias_app;
GRANT SELECT ON graphile_worker.migrations TO aias_app;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA graphile_worker TO aias_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA graphile_worker TO aias_app;

-- graphile-worker enables (without forcing) row-level security on its tables and adds no policies,
-- so its owner passes and every other role sees no rows. The worker reads and writes every job, so
-- the application role gets full access through a policy scoped to it alone.
DO $$
DECLARE
  table_name text;
BEGIN
  FOR table_name IN
    SELECT c.relname
    FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE n.nspname = 'graphile_worker' AND c.relkind = 'r' AND c.relname <> 'migrations'
  LOOP
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON graphile_worker.%I TO aias_app', table_name);
    EXECUTE format('DROP POLICY IF EXISTS aias_app_worker ON graphile_worker.%I', table_name);
    EXECUTE format(
      'CREATE POLICY aias_app_worker ON graphile_worker.%I TO aias_app USING (true) WITH CHECK (true)',
      table_name
    );
  END LOOP;
END
$$;

-- The jobs view would otherwise read the tables with its owner's rights, past row-level security.
DO $$
BEGIN
  IF current_setting('server_version_num')::int >= 150000 THEN
    ALTER VIEW graphile_worker.jobs SET (security_invoker = true);
  END IF;
END
$$;
GRANT SELECT ON graphile_worker.jobs TO aias_app;

-- Liveness of the worker processes. graphile-worker 0.16 frees the jobs of a crashed process only
-- after 4 hours. Each process records here when its workers were last alive, so another process
-- can release their jobs after REPLY_WORKER_STALE_AFTER_MS instead.
CREATE SCHEMA IF NOT EXISTS job_queue;
GRANT USAGE ON SCHEMA job_queue TO aias_app;

CREATE TABLE IF NOT EXISTS job_queue.worker_heartbeats (
  worker_id text PRIMARY KEY,
  heartbeat_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS worker_heartbeats_heartbeat_at_idx
  ON job_queue.worker_heartbeats (heartbeat_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON job_queue.worker_heartbeats TO aias_app;
