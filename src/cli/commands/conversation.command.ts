import { Command, Option, SubCommand } from 'nest-commander';

import { ConversationAdminService } from '../../admin/conversation-admin.service';
import { formatTable } from '../format-table';
import { AuditedCommand, CliCommand, GroupCommand } from './cli-command';
import type { ActorOptions } from './cli-command';

interface PausedOptions {
  limit: string;
  json?: boolean;
}

@SubCommand({
  name: 'paused',
  arguments: '<tenant>',
  description: 'list the conversations whose replies are paused, the latest pause first',
  argsDescription: { tenant: 'tenant id or slug' },
})
export class ConversationPausedCommand extends CliCommand {
  constructor(private readonly conversations: ConversationAdminService) {
    super();
  }

  async run([reference]: string[], options: PausedOptions): Promise<void> {
    const page = await this.conversations.listPaused(reference, options.limit);

    if (options.json) {
      this.io.out(JSON.stringify(page.conversations, null, 2));
    } else {
      const rows = page.conversations.map((conversation) => [
        conversation.id,
        conversation.pausedAt.toISOString(),
        conversation.pausedReason ?? '-',
        conversation.phone,
        conversation.lastMessageAt?.toISOString() ?? '-',
      ]);

      this.io.out(formatTable(['id', 'paused', 'reason', 'contact', 'last message'], rows));
    }

    if (page.hasMore) {
      this.io.err(
        `Only the latest ${page.conversations.length} paused conversations are listed: pass a larger --limit to see more`,
      );
    }
  }

  @Option({
    flags: '--limit <count>',
    description: 'maximum number of conversations to list (1 to 1000)',
    defaultValue: '100',
  })
  parseLimit(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}

@SubCommand({
  name: 'resume',
  arguments: '<tenant> <conversation>',
  description:
    'resume replies to a paused conversation; the loop breaker counts only later messages',
  argsDescription: { tenant: 'tenant id or slug', conversation: 'conversation id' },
})
export class ConversationResumeCommand extends AuditedCommand {
  constructor(private readonly conversations: ConversationAdminService) {
    super();
  }

  async run([reference, conversationId]: string[], options: ActorOptions): Promise<void> {
    const result = await this.conversations.resume(
      reference,
      conversationId,
      this.actorOf(options),
    );

    this.io.out(
      result.isChanged
        ? `Resumed replies to conversation ${result.conversationId} of ${result.slug}`
        : `Replies to conversation ${result.conversationId} of ${result.slug} were not paused: nothing changed`,
    );
  }
}

@Command({
  name: 'conversation',
  description: 'list conversations whose replies are paused, and resume them',
  subCommands: [ConversationPausedCommand, ConversationResumeCommand],
})
export class ConversationCommand extends GroupCommand {}
