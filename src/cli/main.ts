import 'reflect-metadata';

import { userInfo } from 'node:os';

import { ConfigError, loadConfig } from '../config/load-config';
import { processIo } from './cli-io';
import { createCli } from './create-cli';

// The operator recorded in the audit log when --actor is absent: $USER, else the OS account name.
function loginName(): string | undefined {
  try {
    return process.env.USER ?? userInfo().username;
  } catch {
    return undefined;
  }
}

// Help without a database: the full help comes from nest-commander, which needs the Nest context
// and so a database connection.
const usageWithoutDatabase = `Usage: npm run -s cli -- <command> [options]

Commands: tenant, number, secret, key, conversation. Each has --help once DATABASE_URL is set.
The CLI needs DATABASE_URL (the aias_app role) and the service's APP_ENCRYPTION_KEY.
See docs/tenant-api.md for every command.
`;

function asksForHelp(args: string[]): boolean {
  return args.length === 0 || args.includes('--help') || args.includes('-h');
}

/** Entry point of the administration CLI: `npm run -s cli -- <command>`; see docs/tenant-api.md. */
async function main(): Promise<void> {
  const config = loadConfig();

  if (!config.database.url && asksForHelp(process.argv.slice(2))) {
    process.stdout.write(usageWithoutDatabase);

    return;
  }

  if (!config.database.url) {
    throw new ConfigError(
      'Invalid configuration:\n  DATABASE_URL: required by the CLI, which does not start the embedded database',
    );
  }

  const cli = await createCli(config, { io: processIo, defaultActor: loginName() });

  try {
    await cli.run(process.argv.slice(2));
  } finally {
    await cli.app.close();
  }
}

main().catch((error: unknown) => {
  const message =
    error instanceof ConfigError
      ? error.message
      : `Failed to start: ${error instanceof Error ? error.message : String(error)}`;

  process.stderr.write(`${message}\n`);
  process.exitCode = 1;
});
