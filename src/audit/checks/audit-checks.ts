import { checkAlwaysTruePolicies } from './always-true-policies.check';
import { checkAppRole } from './app-role.check';
import type { AuditCheck } from './check-context';
import { checkDefinerFunctions } from './definer-functions.check';
import {
  checkForeignKeyIndexes,
  checkPolicyColumnIndexes,
  checkRequiredIndexes,
} from './indexes.check';
import { checkMigrations } from './migrations.check';
import { checkRowSecurity } from './row-security.check';
import { checkSupabaseRoles } from './supabase-roles.check';
import {
  checkPermissiveOverlap,
  checkPolicyCommands,
  checkTenantPredicates,
} from './tenant-policies.check';
import { checkViews } from './views.check';

export const auditChecks: AuditCheck[] = [
  checkRowSecurity,
  checkPolicyCommands,
  checkTenantPredicates,
  checkAlwaysTruePolicies,
  checkPermissiveOverlap,
  checkAppRole,
  checkViews,
  checkDefinerFunctions,
  checkSupabaseRoles,
  checkForeignKeyIndexes,
  checkPolicyColumnIndexes,
  checkRequiredIndexes,
  checkMigrations,
];
