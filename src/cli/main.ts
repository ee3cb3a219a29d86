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

/** Entry point of the administration CLI: `npm run -s cli -- <command>`; see docs/tenant-api.md. */
async function main(): Promise<void> {
  const config = loadConfig();

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
