import { Command, SubCommand } from 'nest-commander';

import { TenantSendingAdminService } from '../../admin/tenant-sending-admin.service';
import { AuditedCommand, GroupCommand } from './cli-command';
import type { ActorOptions } from './cli-command';

@SubCommand({
  name: 'add',
  arguments: '<tenant> <phone>',
  description: 'add a Blooio sending number, normalised to E.164',
  argsDescription: { tenant: 'tenant id or slug', phone: 'the number, e.g. +14155550100' },
})
export class NumberAddCommand extends AuditedCommand {
  constructor(private readonly sending: TenantSendingAdminService) {
    super();
  }

  async run([reference, phone]: string[], options: ActorOptions): Promise<void> {
    const number = await this.sending.addSendingNumber(reference, phone, this.actorOf(options));

    this.io.out(`Added sending number ${number} to tenant ${reference}`);
  }
}

@Command({
  name: 'number',
  description: 'manage the Blooio numbers a tenant sends from and receives on',
  subCommands: [NumberAddCommand],
})
export class NumberCommand extends GroupCommand {}
