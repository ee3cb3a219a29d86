-- Retention: a scheduled job deletes webhook_events (the webhook inbox) and audit_log rows older
-- than their retention periods. The job runs as aias_app, which row-level security shows one
-- tenant at a time and which may not delete from audit_log at all. So it calls two SECURITY
-- DEFINER functions in schema retention, owned by aias_retention: a NOLOGIN role that may read only
-- each table's id and age column and delete rows, and whose policies let it see and delete only
-- rows older than a floor (1 day for webhook_events, 30 days for audit_log), whatever the caller
-- passes. The migration runs as the owner role, which needs CREATEROLE to create the role.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aias_retention') THEN
    CREATE ROLE aias_retention NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;

-- The migrating role must be a member of aias_retention to hand it the functions below.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'aias_retention', 'MEMBER') THEN
    EXECUTE format('GRANT aias_retention TO %I', current_user);
  END IF;
END
$$;

-- The prune walks each table in age order, across tenants. The tenant-leading indexes cannot serve
-- that, so without these every batch would scan the whole table.
CREATE INDEX "webhook_events_received_at_idx" ON "webhook_events"("received_at");
CREATE INDEX "audit_log_created_at_idx" ON "audit_log"("created_at");

CREATE SCHEMA IF NOT EXISTS retention;
GRANT USAGE, CREATE ON SCHEMA retention TO aias_retention;
GRANT USAGE ON SCHEMA retention TO aias_app;
GRANT USAGE ON SCHEMA public TO aias_retention;

GRANT SELECT (id, received_at), DELETE ON webhook_events TO aias_retention;
GRANT SELECT (id, created_at), DELETE ON audit_log TO aias_retention;

-- A DELETE with a WHERE clause must pass the SELECT policies too, so each table gets both.
CREATE POLICY retention_prune_read ON webhook_events FOR SELECT TO aias_retention
  USING (received_at < now() - interval '1 day');
CREATE POLICY retention_prune ON webhook_events FOR DELETE TO aias_retention
  USING (received_at < now() - interval '1 day');
CREATE POLICY retention_prune_read ON audit_log FOR SELECT TO aias_retention
  USING (created_at < now() - interval '30 days');
CREATE POLICY retention_prune ON audit_log FOR DELETE TO aias_retention
  USING (created_at < now() - interval '30 days');

-- audit_log stays append-only for everyone else: its trigger lets only aias_retention delete.
-- Inside a SECURITY DEFINER function current_user is the function's owner, and no login role is a
-- member of aias_retention except the owner role that runs the migrations.
CREATE OR REPLACE FUNCTION reject_audit_log_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  IF TG_OP = 'DELETE' AND current_user = 'aias_retention' THEN
    RETURN OLD;
  END IF;

  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

-- Each call deletes at most batch_size of the oldest expired rows and returns how many it deleted.
-- Called outside an explicit transaction, each call commits on its own, so no call holds its row
-- locks for longer than one batch takes.
CREATE FUNCTION retention.prune_webhook_events(retention_days integer, batch_size integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  deleted integer;
BEGIN
  IF retention_days IS NULL OR retention_days < 1 THEN
    RAISE EXCEPTION 'retention_days must be at least 1, got %', retention_days
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  IF batch_size IS NULL OR batch_size < 1 OR batch_size > 10000 THEN
    RAISE EXCEPTION 'batch_size must be from 1 to 10000, got %', batch_size
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  DELETE FROM public.webhook_events
  WHERE id IN (
    SELECT id
    FROM public.webhook_events
    WHERE received_at < now() - make_interval(days => retention_days)
    ORDER BY received_at
    LIMIT batch_size
  );
  GET DIAGNOSTICS deleted = ROW_COUNT;

  RETURN deleted;
END
$$;

CREATE FUNCTION retention.prune_audit_log(retention_days integer, batch_size integer)
RETURNS integer
LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
  deleted integer;
BEGIN
  IF retention_days IS NULL OR retention_days < 30 THEN
    RAISE EXCEPTION 'retention_days must be at least 30, got %', retention_days
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  IF batch_size IS NULL OR batch_size < 1 OR batch_size > 10000 THEN
    RAISE EXCEPTION 'batch_size must be from 1 to 10000, got %', batch_size
      USING ERRCODE = 'invalid_parameter_value';
  END IF;

  DELETE FROM public.audit_log
  WHERE id IN (
    SELECT id
    FROM public.audit_log
    WHERE created_at < now() - make_interval(days => retention_days)
    ORDER BY created_at
    LIMIT batch_size
  );
  GET DIAGNOSTICS deleted = ROW_COUNT;

  RETURN deleted;
END
$$;

ALTER FUNCTION retention.prune_webhook_events(integer, integer) OWNER TO aias_retention;
ALTER FUNCTION retention.prune_audit_log(integer, integer) OWNER TO aias_retention;
REVOKE ALL ON FUNCTION retention.prune_webhook_events(integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION retention.prune_audit_log(integer, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION retention.prune_webhook_events(integer, integer) TO aias_app;
GRANT EXECUTE ON FUNCTION retention.prune_audit_log(integer, integer) TO aias_app;

-- CREATE on the schema was needed only to take ownership of the functions.
REVOKE CREATE ON SCHEMA retention FROM aias_retention;
