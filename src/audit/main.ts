import { parseAuditCommand, usage, UsageError } from './audit-options';
import { MigrationsDirectoryError } from './migration-files';
import { renderTable } from './report/table-report';
import { runAudit } from './run-audit';

// Exit statuses: 0 no error-level finding, 1 at least one, 2 the audit could not run.
const exitFailedChecks = 1;
const exitCannotRun = 2;
const defaultWidth = 120;

async function main(): Promise<number> {
  const command = parseAuditCommand(process.argv.slice(2), process.env);

  if (!command) {
    process.stdout.write(`${usage}\n`);

    return 0;
  }

  const report = await runAudit(command.target);

  process.stdout.write(
    command.json
      ? `${JSON.stringify(report, null, 2)}\n`
      : renderTable(report, process.stdout.columns ?? defaultWidth),
  );

  return report.passed ? 0 : exitFailedChecks;
}

main()
  .then((status) => {
    process.exitCode = status;
  })
  .catch((error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n\n${usage}\n`);
    } else if (error instanceof MigrationsDirectoryError) {
      process.stderr.write(`${error.message}\n`);
    } else {
      // pg errors carry no connection string, so the message is safe to print.
      process.stderr.write(
        `The database audit could not run: ${error instanceof Error ? error.message : String(error)}\n`,
      );
    }

    process.exitCode = exitCannotRun;
  });
