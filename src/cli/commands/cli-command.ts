import { Inject } from '@nestjs/common';
import type { Command } from 'commander';
import { CommandRunner, Option } from 'nest-commander';

import { validateName } from '../../admin/admin-input';
import { InvalidAdminInputError } from '../../admin/admin.errors';
import { CLI_DEFAULT_ACTOR, CLI_IO } from '../cli-io';
import type { CliIo } from '../cli-io';

export interface ActorOptions {
  actor?: string;
}

/**
 * Base of every CLI command. Commander exits the process on a usage error unless exitOverride() was
 * called, and nest-commander calls it on the root command only. So each command calls it too and
 * throws instead, and the error handler in create-cli.ts reports the error and sets the exit code.
 */
export abstract class CliCommand extends CommandRunner {
  // Property injection keeps the subclasses' constructors down to their own services.
  @Inject(CLI_IO)
  protected readonly io: CliIo;

  @Inject(CLI_DEFAULT_ACTOR)
  private readonly defaultActor: string | undefined;

  override setCommand(command: Command): this {
    command.exitOverride();

    return super.setCommand(command);
  }

  /** Returns the operator recorded in the audit log: --actor, else the login name. */
  protected actorOf(options: ActorOptions): string {
    const actor = options.actor ?? this.defaultActor;

    if (!actor) {
      throw new InvalidAdminInputError('Pass --actor <name>: the login name is unknown');
    }

    return validateName('--actor', actor);
  }
}

/** Base of the commands that change something, which all take --actor. */
export abstract class AuditedCommand extends CliCommand {
  @Option({
    flags: '--actor <name>',
    description: 'operator recorded in the audit log (default: $USER, else the OS account)',
  })
  parseActor(value: string): string {
    return value;
  }
}

/** Base of the parent commands, which only group subcommands and print help. */
export abstract class GroupCommand extends CliCommand {
  run(passedParams: string[]): Promise<void> {
    if (passedParams.length > 0) {
      throw new InvalidAdminInputError(
        `Unknown command "${this.command.name()} ${passedParams[0]}": run "${this.command.name()} --help"`,
      );
    }

    this.command.outputHelp();

    return Promise.resolve();
  }
}
