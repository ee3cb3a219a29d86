-- Roles, grants and row-level security. Prisma's schema diff does not model any of this, so it is
-- written by hand. The migration runs as the owner role, which needs CREATEROLE for the first run.
--
-- aias_app       the login role of the service: no superuser, no BYPASSRLS, owns nothing.
-- aias_resolver  a NOLOGIN role that owns the two tenant-resolution functions and may read only the
--                columns those functions need, across tenants. Nobody can log in as it or switch to it.

DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aias_app') THEN
    CREATE ROLE aias_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;

  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'aias_resolver') THEN
    CREATE ROLE aias_resolver NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
END
$$;

-- The migrating role must be a member of aias_resolver to hand it the functions below.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'aias_resolver', 'MEMBER') THEN
    EXECUTE format('GRANT aias_resolver TO %I', current_user);
  END IF;
END
$$;

REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO aias_app;

GRANT SELECT, INSERT, UPDATE, DELETE ON
  tenants, sending_numbers, webhook_secrets, api_keys, contacts, conversations, messages,
  pipelines, opportunities, webhook_events, outbound_sends
TO aias_app;

-- The audit log is append-only for the service: it may add and read rows, never change them.
GRANT SELECT, INSERT ON audit_log TO aias_app;
GRANT USAGE, SELECT ON SEQUENCE audit_log_id_seq TO aias_app;

CREATE FUNCTION reject_audit_log_change() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege';
END
$$;

CREATE TRIGGER audit_log_append_only
  BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION reject_audit_log_change();

CREATE TRIGGER audit_log_no_truncate
  BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION reject_audit_log_change();

-- Row-level security. After a transaction that set app.tenant_id locally, the setting reads as ''
-- rather than NULL on that pooled connection, so NULLIF turns "no tenant" into NULL and 0 rows.
ALTER TABLE tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenants FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenants
  USING (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid)
  WITH CHECK (id = NULLIF(current_setting('app.tenant_id', true), '')::uuid);

DO $$
DECLARE
  table_name text;
BEGIN
  FOREACH table_name IN ARRAY ARRAY[
    'sending_numbers', 'webhook_secrets', 'api_keys', 'contacts', 'conversations', 'messages',
    'pipelines', 'opportunities', 'webhook_events', 'outbound_sends', 'audit_log'
  ]
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', table_name);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', table_name);
    EXECUTE format(
      'CREATE POLICY tenant_isolation ON %I '
      'USING (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid) '
      'WITH CHECK (tenant_id = NULLIF(current_setting(''app.tenant_id'', true), '''')::uuid)',
      table_name
    );
  END LOOP;
END
$$;

-- Tenant resolution: the one path that reads across tenants, before the tenant is known.
-- Each function is SECURITY DEFINER, owned by aias_resolver, with a fixed search_path, and returns
-- only what authentication needs. aias_resolver's read policies are SELECT-only and apply to it alone.
CREATE SCHEMA IF NOT EXISTS tenant_resolution;
GRANT USAGE, CREATE ON SCHEMA tenant_resolution TO aias_resolver;
GRANT USAGE ON SCHEMA tenant_resolution TO aias_app;
GRANT USAGE ON SCHEMA public TO aias_resolver;
GRANT SELECT (id, status) ON tenants TO aias_resolver;
GRANT SELECT (tenant_id, phone) ON sending_numbers TO aias_resolver;
GRANT SELECT (id, tenant_id, prefix, hash, scopes, revoked_at) ON api_keys TO aias_resolver;

CREATE POLICY tenant_resolution_read ON tenants FOR SELECT TO aias_resolver USING (true);
CREATE POLICY tenant_resolution_read ON sending_numbers FOR SELECT TO aias_resolver USING (true);
CREATE POLICY tenant_resolution_read ON api_keys FOR SELECT TO aias_resolver USING (true);

CREATE FUNCTION tenant_resolution.tenant_by_number(receiving_number text)
RETURNS TABLE (tenant_id uuid, tenant_status tenant_status)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT t.id, t.status
  FROM public.sending_numbers AS n
  JOIN public.tenants AS t ON t.id = n.tenant_id
  WHERE n.phone = receiving_number
$$;

CREATE FUNCTION tenant_resolution.api_key_by_prefix(key_prefix text)
RETURNS TABLE (
  key_id uuid, tenant_id uuid, key_hash text, scopes text[], revoked_at timestamptz,
  tenant_status tenant_status
)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT k.id, k.tenant_id, k.hash, k.scopes, k.revoked_at, t.status
  FROM public.api_keys AS k
  JOIN public.tenants AS t ON t.id = k.tenant_id
  WHERE k.prefix = key_prefix
$$;

ALTER FUNCTION tenant_resolution.tenant_by_number(text) OWNER TO aias_resolver;
ALTER FUNCTION tenant_resolution.api_key_by_prefix(text) OWNER TO aias_resolver;
REVOKE ALL ON FUNCTION tenant_resolution.tenant_by_number(text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tenant_resolution.api_key_by_prefix(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_resolution.tenant_by_number(text) TO aias_app;
GRANT EXECUTE ON FUNCTION tenant_resolution.api_key_by_prefix(text) TO aias_app;
