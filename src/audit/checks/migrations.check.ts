import type { Finding } from '../finding';
import type { CheckContext } from './check-context';

const deployCommand =
  'MIGRATION_DATABASE_URL=<owner role URL> npm run db:migrate (prisma migrate deploy)';

/**
 * Reports where the migrations table differs from prisma/migrations. Expected: every folder is
 * applied (finished, not rolled back) with the checksum of its migration.sql, no migration has
 * failed, and the database has applied no migration this checkout lacks.
 */
export function checkMigrations({ catalog, target, migrationFiles }: CheckContext): Finding[] {
  const applied = catalog.appliedMigrations;

  if (applied === null) {
    return [
      {
        check: 'migration-table',
        severity: 'error',
        object: `${target.migrationsSchema}._prisma_migrations`,
        problem: 'The migrations table does not exist, so this database was never migrated.',
        fix: `${deployCommand}, or pass the schema that holds the table with --migrations-schema.`,
      },
    ];
  }

  const findings: Finding[] = [];
  const localNames = new Set(migrationFiles.map((file) => file.name));
  const finished = applied.filter((row) => row.finishedAt !== null && row.rolledBackAt === null);

  for (const row of applied.filter(
    (item) => item.finishedAt === null && item.rolledBackAt === null,
  )) {
    findings.push({
      check: 'migration-failed',
      severity: 'error',
      object: `migration ${row.name}`,
      problem:
        'The migration started but never finished; prisma migrate deploy refuses to continue until it is resolved.',
      fix: `Read its logs column in _prisma_migrations, repair the database, then node prisma/migrate.cjs migrate resolve --rolled-back ${row.name} (or --applied) and deploy again.`,
    });
  }

  for (const file of migrationFiles) {
    const rows = finished.filter((row) => row.name === file.name);
    const failed = applied.some(
      (row) => row.name === file.name && row.finishedAt === null && row.rolledBackAt === null,
    );

    if (rows.length === 0 && !failed) {
      findings.push({
        check: 'migration-pending',
        severity: 'error',
        object: `migration ${file.name}`,
        problem: 'The migration exists in prisma/migrations but is not applied.',
        fix: deployCommand,
      });
    } else if (rows.length > 0 && !rows.some((row) => file.checksums.includes(row.checksum))) {
      findings.push({
        check: 'migration-checksum',
        severity: 'error',
        object: `migration ${file.name}`,
        problem: `migration.sql changed after it was applied (database checksum ${rows[0].checksum.slice(0, 12)}..., file ${file.checksums[0].slice(0, 12)}...).`,
        fix: 'Restore the applied migration.sql from version control and put the change in a new migration.',
      });
    }
  }

  for (const name of new Set(finished.map((row) => row.name))) {
    if (!localNames.has(name)) {
      findings.push({
        check: 'migration-unknown',
        severity: 'error',
        object: `migration ${name}`,
        problem: `The database has applied a migration that ${target.migrationsDir} does not contain.`,
        fix: 'Audit from the checkout that contains it, or check that --admin-url names the intended database.',
      });
    }
  }

  return findings;
}
