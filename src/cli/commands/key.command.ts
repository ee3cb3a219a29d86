import { Command, Option, SubCommand } from 'nest-commander';

import { ApiKeyAdminService } from '../../admin/api-key-admin.service';
import { formatTable } from '../format-table';
import { AuditedCommand, CliCommand, GroupCommand } from './cli-command';
import type { ActorOptions } from './cli-command';

interface IssueOptions extends ActorOptions {
  name: string;
  scopes: string;
}

@SubCommand({
  name: 'issue',
  arguments: '<tenant>',
  description: 'issue an API key and print it once on stdout; only its hash is stored',
  argsDescription: { tenant: 'tenant id or slug' },
})
export class KeyIssueCommand extends AuditedCommand {
  constructor(private readonly keys: ApiKeyAdminService) {
    super();
  }

  async run([reference]: string[], options: IssueOptions): Promise<void> {
    const key = await this.keys.issue(
      reference,
      options.name,
      options.scopes,
      this.actorOf(options),
    );

    this.io.err(
      `Issued API key ${key.id} (prefix ${key.prefix}, scopes ${key.scopes.join(',')}). ` +
        'Store it now: it cannot be shown again.',
    );
    this.io.out(key.plaintext);
  }

  @Option({ flags: '--name <name>', description: 'what the key is for (required)', required: true })
  parseName(value: string): string {
    return value;
  }

  @Option({
    flags: '--scopes <scopes>',
    description: 'comma-separated: read, write',
    defaultValue: 'read',
  })
  parseScopes(value: string): string {
    return value;
  }
}

@SubCommand({
  name: 'list',
  arguments: '<tenant>',
  description: 'list a tenant’s API keys (never the keys themselves)',
  argsDescription: { tenant: 'tenant id or slug' },
})
export class KeyListCommand extends CliCommand {
  constructor(private readonly keys: ApiKeyAdminService) {
    super();
  }

  async run([reference]: string[], options: { json?: boolean }): Promise<void> {
    const keys = await this.keys.list(reference);

    if (options.json) {
      this.io.out(JSON.stringify(keys, null, 2));

      return;
    }

    const rows = keys.map((key) => [
      key.id,
      key.prefix,
      key.scopes.join(','),
      key.createdAt.toISOString(),
      key.lastUsedAt?.toISOString() ?? '-',
      key.revokedAt?.toISOString() ?? '-',
      key.name,
    ]);

    this.io.out(
      formatTable(['id', 'prefix', 'scopes', 'created', 'last used', 'revoked', 'name'], rows),
    );
  }

  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}

@SubCommand({
  name: 'revoke',
  arguments: '<tenant> <key>',
  description: 'revoke an API key: requests with it get 401 at once',
  argsDescription: { tenant: 'tenant id or slug', key: 'key id or prefix' },
})
export class KeyRevokeCommand extends AuditedCommand {
  constructor(private readonly keys: ApiKeyAdminService) {
    super();
  }

  async run([reference, keyReference]: string[], options: ActorOptions): Promise<void> {
    const result = await this.keys.revoke(reference, keyReference, this.actorOf(options));

    this.io.out(
      result.isChanged
        ? `Revoked API key ${result.key.prefix} (${result.key.id})`
        : `API key ${result.key.prefix} was already revoked: nothing changed`,
    );
  }
}

@Command({
  name: 'key',
  description: 'issue, list and revoke tenant API keys',
  subCommands: [KeyIssueCommand, KeyListCommand, KeyRevokeCommand],
})
export class KeyCommand extends GroupCommand {}
