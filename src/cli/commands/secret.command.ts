import { Command, Option, SubCommand } from 'nest-commander';

import { WebhookSecretAdminService } from '../../admin/webhook-secret-admin.service';
import { AuditedCommand, GroupCommand } from './cli-command';
import type { ActorOptions } from './cli-command';

interface RotateOptions extends ActorOptions {
  keepPreviousMinutes?: string;
}

@SubCommand({
  name: 'set',
  arguments: '<tenant>',
  description: 'set the Blooio signing secret read from stdin; any previous secret stops working',
  argsDescription: { tenant: 'tenant id or slug' },
})
export class SecretSetCommand extends AuditedCommand {
  constructor(private readonly secrets: WebhookSecretAdminService) {
    super();
  }

  async run([reference]: string[], options: ActorOptions): Promise<void> {
    const actor = this.actorOf(options);
    const change = await this.secrets.set(reference, await this.io.readSecret(), actor);

    this.io.out(
      `Set the webhook signing secret of ${change.slug}. Running instances stop accepting the previous one within WEBHOOK_TENANT_CACHE_TTL_SECONDS`,
    );
  }
}

@SubCommand({
  name: 'rotate',
  arguments: '<tenant>',
  description: 'make the secret read from stdin current and keep the old one valid for a while',
  argsDescription: { tenant: 'tenant id or slug' },
})
export class SecretRotateCommand extends AuditedCommand {
  constructor(private readonly secrets: WebhookSecretAdminService) {
    super();
  }

  async run([reference]: string[], options: RotateOptions): Promise<void> {
    const actor = this.actorOf(options);
    const change = await this.secrets.rotate(
      reference,
      await this.io.readSecret(),
      actor,
      options.keepPreviousMinutes,
    );
    const previous = change.previousValidUntil
      ? `the previous one is accepted until ${change.previousValidUntil.toISOString()}`
      : 'the previous one is no longer accepted';

    this.io.out(`Rotated the webhook signing secret of ${change.slug}; ${previous}`);
  }

  @Option({
    flags: '--keep-previous-minutes <minutes>',
    description:
      'minutes the previous secret stays valid (default: WEBHOOK_SECRET_ROTATION_WINDOW_MINUTES, 60)',
  })
  parseKeepPreviousMinutes(value: string): string {
    return value;
  }
}

@Command({
  name: 'secret',
  description: 'set and rotate a tenant’s Blooio webhook signing secret (read from stdin)',
  subCommands: [SecretSetCommand, SecretRotateCommand],
})
export class SecretCommand extends GroupCommand {}
