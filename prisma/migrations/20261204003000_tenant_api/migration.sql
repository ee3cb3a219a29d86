-- Tenant API and administration CLI.

-- Opportunity pages filtered by pipeline, in (created_at DESC, id DESC) order. The existing
-- (tenant_id, pipeline_id, status) index cannot serve them well for the application role: under
-- row-level security PostgreSQL uses only leakproof operators of the query's own conditions as
-- index conditions, and enum equality (enum_eq) is not leakproof in PostgreSQL 15. So status is
-- filtered after the index lookup, the pages of a pipeline had to be sorted in full, and this index
-- lets the scan read rows in page order and stop when the page is full. The (tenant_id,
-- pipeline_id, status) index stays for counts per status.
CREATE INDEX "opportunities_tenant_id_pipeline_id_created_at_id_idx"
  ON "opportunities" ("tenant_id", "pipeline_id", "created_at" DESC, "id" DESC);

-- Tenant directory for the administration CLI: listing tenants, and finding one by slug, needs a
-- read across tenants that row-level security denies the application role. Like the two
-- resolution functions, it is SECURITY DEFINER, owned by aias_resolver, with a fixed search_path,
-- and returns only the id, name, slug and status of each tenant: no settings, numbers or secrets.
GRANT SELECT (name, slug) ON tenants TO aias_resolver;

CREATE FUNCTION tenant_resolution.tenant_directory()
RETURNS TABLE (tenant_id uuid, name text, slug text, tenant_status tenant_status)
LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
  SELECT t.id, t.name, t.slug, t.status
  FROM public.tenants AS t
$$;

ALTER FUNCTION tenant_resolution.tenant_directory() OWNER TO aias_resolver;
REVOKE ALL ON FUNCTION tenant_resolution.tenant_directory() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenant_resolution.tenant_directory() TO aias_app;
