/** The database to audit, and the roles and schemas that play each part in it. */
export interface AuditTarget {
  adminUrl: string;
  /** The role the service connects as; every isolation rule is judged from its point of view. */
  appRole: string;
  /** The application's schemas: every table and view in them is checked. */
  schemas: string[];
  /** The NOLOGIN role whose SELECT-only USING (true) policies serve tenant resolution. */
  resolverRole: string;
  /** The only schema where read-only SECURITY DEFINER functions (tenant resolution) are allowed. */
  definerSchema: string;
  /** The NOLOGIN role that owns the retention functions, which may delete expired rows. */
  retentionRole: string;
  /** The schema of the retention functions: the only SECURITY DEFINER functions that may write. */
  retentionSchema: string;
  /** Role names whose presence marks a Supabase database (anon, authenticated). */
  supabaseRoles: string[];
  /** The prisma/migrations folder to compare with the migrations table. */
  migrationsDir: string;
  /** The schema that contains _prisma_migrations. */
  migrationsSchema: string;
}

/** The column that marks a tenant-owned table. */
export const tenantColumn = 'tenant_id';

/** The table keyed by the tenant id itself (column id) rather than by tenant_id. */
export const tenantsTable = 'tenants';

/** The run-time setting that TenantDatabase.transaction sets to the current tenant's id. */
export const tenantSetting = 'app.tenant_id';

/** Tables, in the audited schemas, from which the retention functions' owner may delete rows. */
export const retentionTables = ['webhook_events', 'audit_log'];
