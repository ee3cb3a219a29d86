import type { INestApplicationContext } from '@nestjs/common';
import { CommanderError } from 'commander';
import { CommandFactory, CommandRunnerService } from 'nest-commander';

import { DomainError } from '../common/errors/domain-error';
import type { AppConfig } from '../config/app-config';
import { CliModule } from './cli.module';
import type { CliOptions } from './cli.module';

/** Reports a failed command on stderr and sets the exit code; a usage error was printed already. */
function reportFailure(options: CliOptions, error: Error): void {
  if (error instanceof CommanderError) {
    options.io.setExitCode(error.exitCode);

    return;
  }

  const message = error instanceof DomainError ? error.message : `Command failed: ${error.message}`;

  options.io.err(`Error: ${message}`);
  options.io.setExitCode(1);
}

/**
 * Builds the CLI's application context. Call run(args) once with the arguments after the program
 * name, then close the app: commander keeps parsed options, so a second run would see stale ones.
 */
export async function createCli(
  config: AppConfig,
  options: CliOptions,
): Promise<{ app: INestApplicationContext; run(args: string[]): Promise<void> }> {
  const app = await CommandFactory.createWithoutRunning(CliModule.forRoot(config, options), {
    logger: false,
    cliName: 'aias',
    errorHandler: (error) => {
      throw error;
    },
    serviceErrorHandler: (error) => reportFailure(options, error),
    outputConfiguration: {
      writeOut: (text) => options.io.out(text),
      writeErr: (text) => options.io.err(text),
    },
  });

  // Commander takes the program name shown in help from the second element.
  return { app, run: (args) => app.get(CommandRunnerService).run(['node', 'aias', ...args]) };
}
