-- Tenant API and administration CLI.

-- Opportunity pages filtered by pipeline, in (created_at DESC, id DESC) order: this index returns
-- rows in page order, so the scan stops when the page is full, whatever share of the tenant's
-- opportunities the pipeline has. The (tenant_id, pipeline_id, status) index cannot do that for the
-- application role. Under row-level security PostgreSQL uses a condition of the query as an index
-- condition only if its operator is leakproof, and enum equality (enum_eq) is not in PostgreSQL 15,
-- so status is filtered after the lookup and the page has to be sorted. That index stays for
-- counts per status.
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
