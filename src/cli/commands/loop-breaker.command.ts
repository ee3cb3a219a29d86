import { Option, SubCommand } from 'nest-commander';

import { LoopBreakerAdminService } from '../../admin/loop-breaker-admin.service';
import type { LoopBreakerInput, TenantLoopBreaker } from '../../admin/loop-breaker-admin.service';
import { AuditedCommand } from './cli-command';
import type { ActorOptions } from './cli-command';

interface LoopBreakerOptions extends ActorOptions, LoopBreakerInput {
  json?: boolean;
}

function formatLoopBreaker({ slug, settings }: TenantLoopBreaker): string {
  return (
    `Loop breaker of ${slug}: min reply seconds ${settings.minReplySeconds}, ` +
    `fast turns ${settings.fastTurns}, repeat count ${settings.repeatCount}`
  );
}

@SubCommand({
  name: 'loop-breaker',
  arguments: '<tenant>',
  description: 'show the thresholds at which the loop breaker pauses a conversation, or set them',
  argsDescription: { tenant: 'tenant id or slug' },
})
export class TenantLoopBreakerCommand extends AuditedCommand {
  constructor(private readonly loopBreaker: LoopBreakerAdminService) {
    super();
  }

  async run([reference]: string[], options: LoopBreakerOptions): Promise<void> {
    const { minReplySeconds, fastTurns, repeatCount } = options;
    const isChange = [minReplySeconds, fastTurns, repeatCount].some((value) => value !== undefined);
    const result = isChange
      ? await this.loopBreaker.set(
          reference,
          { minReplySeconds, fastTurns, repeatCount },
          this.actorOf(options),
        )
      : await this.loopBreaker.show(reference);

    this.io.out(options.json ? JSON.stringify(result, null, 2) : formatLoopBreaker(result));
  }

  @Option({
    flags: '--min-reply-seconds <seconds>',
    description:
      'a contact message within this many seconds of our reply counts as a fast turn (0 to 600; 0 turns the speed check off)',
  })
  parseMinReplySeconds(value: string): string {
    return value;
  }

  @Option({
    flags: '--fast-turns <count>',
    description: 'fast turns in a row that pause the conversation (1 to 50)',
  })
  parseFastTurns(value: string): string {
    return value;
  }

  @Option({
    flags: '--repeat-count <count>',
    description: 'identical contact messages in a row that pause the conversation (2 to 50)',
  })
  parseRepeatCount(value: string): string {
    return value;
  }

  @Option({ flags: '--json', description: 'print JSON' })
  parseJson(): boolean {
    return true;
  }
}
