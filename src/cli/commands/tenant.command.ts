import { Injectable } from '@nestjs/common';
import { Command, Option, SubCommand } from 'nest-commander';

import { InvalidAdminInputError } from '../../admin/admin.errors';
import { TenantAdminService } from '../../admin/tenant-admin.service';
import { TenantSendingAdminService } from '../../admin/tenant-sending-admin.service';
import type { SpendCapsInput } from '../../admin/tenant-sending-admin.service';
import type { TenantStatus } from '../../generated/prisma/enums';
import { formatTable } from '../format-table';
import { AuditedCommand, CliCommand, GroupCommand } from './cli-command';
import type { ActorOptions } from './cli-command';
import { TenantLoopBreakerCommand } from './loop-breaker.command';

interface CreateOptions extends ActorOptions {
  name: string;
  slug: string;
  timezone?: string;
  region?: string;
}

interface CapsOptions extends ActorOptions, SpendCapsInput {
  pauseReplies?: boolean;
  resumeReplies?: boolean;
}

@SubCommand({
  name: 'create',
  description: 'create an active tenant with a default Sales pipeline',
})
export class TenantCreateCommand extends AuditedCommand {
  constructor(private readonly tenants: TenantAdminService) {
    super();
  }

  async run(_: string[], options: CreateOptions): Promise<void> {
    const tenant = await this.tenants.create(options, this.actorOf(options));

    this.io.out(`Created tenant ${tenant.slug} (${tenant.id}) with the default pipeline Sales`);
  }

  @Option({ flags: '--name <name>', description: 'display name (required)', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({
    flags: '--slug <slug>',
    description: 'unique short name: a-z, 0-9, - (required)',
    required: true,
  })
  parseSlug(value: string): string {
    return value;
  }

  @Option({ flags: '--timezone <zone>', description: 'IANA time zone (default: UTC)' })
  parseTimezone(value: string): string {
    return value;
  }

  @Option({
    flags: '--region <code>',
    description: 'ISO country for phone numbers without a country code (default: US)',
  })
  parseRegion(value: string): string {
    return value;
  }
}

@SubCommand({ name: 'list', description: 'list all tenants' })
export class TenantListCommand extends CliCommand {
  constructor(private readonly tenants: TenantAdminService) {
    super();
  }

  async run(_: string[], options: { json?: boolean }): Promise<void> {
    const tenants = await this.tenants.list();

    if (options.json) {
      this.io.out(JSON.stringify(tenants, null, 2));

      return;
    }

    const rows = tenants.map((tenant) => [tenant.id, tenant.slug, tenant.status, tenant.name]);

    this.io.out(formatTable(['id', 'slug', 'status', 'name'], rows));
  }

  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}

// @Injectable() makes TypeScript emit the constructor's parameter types, which the two
// undecorated-constructor subclasses inherit.
@Injectable()
abstract class TenantStatusCommand extends AuditedCommand {
  protected abstract readonly status: TenantStatus;

  constructor(private readonly tenants: TenantAdminService) {
    super();
  }

  async run([reference]: string[], options: ActorOptions): Promise<void> {
    const change = await this.tenants.setStatus(reference, this.status, this.actorOf(options));
    const slug = change.tenant.slug;

    this.io.out(
      change.isChanged
        ? `Tenant ${slug} is now ${this.status}`
        : `Tenant ${slug} was already ${this.status}: nothing changed`,
    );
  }
}

@SubCommand({
  name: 'suspend',
  arguments: '<tenant>',
  description: 'suspend a tenant: its API keys get 403 until it is reactivated',
  argsDescription: { tenant: 'tenant id or slug' },
})
export class TenantSuspendCommand extends TenantStatusCommand {
  protected readonly status = 'suspended';
}

@SubCommand({
  name: 'reactivate',
  arguments: '<tenant>',
  description: 'reactivate a suspended tenant',
  argsDescription: { tenant: 'tenant id or slug' },
})
export class TenantReactivateCommand extends TenantStatusCommand {
  protected readonly status = 'active';
}

@SubCommand({
  name: 'caps',
  arguments: '<tenant>',
  description: 'set spend caps and the replies kill switch',
  argsDescription: { tenant: 'tenant id or slug' },
})
export class TenantCapsCommand extends AuditedCommand {
  constructor(private readonly sending: TenantSendingAdminService) {
    super();
  }

  async run([reference]: string[], options: CapsOptions): Promise<void> {
    if (options.pauseReplies && options.resumeReplies) {
      throw new InvalidAdminInputError('Pass either --pause-replies or --resume-replies, not both');
    }

    let repliesPaused: boolean | undefined;

    if (options.pauseReplies) {
      repliesPaused = true;
    } else if (options.resumeReplies) {
      repliesPaused = false;
    }

    const { slug, caps } = await this.sending.setSpendCaps(
      reference,
      { ...options, repliesPaused },
      this.actorOf(options),
    );

    this.io.out(
      `Spend caps of ${slug}: daily send cap ${caps.dailySendCap}, ` +
        `conversation reply cap ${caps.conversationReplyCap}, ` +
        `replies ${caps.repliesPaused ? 'paused' : 'active'}`,
    );
  }

  @Option({ flags: '--daily-send-cap <count>', description: 'messages the tenant may send a day' })
  parseDailySendCap(value: string): string {
    return value;
  }

  @Option({
    flags: '--conversation-reply-cap <count>',
    description: 'bot replies allowed per conversation in the reply window',
  })
  parseConversationReplyCap(value: string): string {
    return value;
  }

  @Option({ flags: '--pause-replies', description: 'stop all bot replies (kill switch)' })
  parsePauseReplies(): boolean {
    return true;
  }

  @Option({ flags: '--resume-replies', description: 'allow bot replies again' })
  parseResumeReplies(): boolean {
    return true;
  }
}

@Command({
  name: 'tenant',
  description: 'create, list, suspend and reactivate tenants; set spend caps and the loop breaker',
  subCommands: [
    TenantCreateCommand,
    TenantListCommand,
    TenantSuspendCommand,
    TenantReactivateCommand,
    TenantCapsCommand,
    TenantLoopBreakerCommand,
  ],
})
export class TenantCommand extends GroupCommand {}
