export interface InboundTurn {
  body: string;
  receivedAt: Date;
  /** When our latest reply before this message was accepted, if any. */
  lastReplyAt: Date | null;
}

export interface LoopSettings {
  minReplySeconds: number;
  fastTurns: number;
  repeatCount: number;
}

export type LoopReason = 'loop_fast_replies' | 'loop_repeated_text';

function normalise(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\s\p{P}]+/gu, ' ')
    .trim();
}

/**
 * Tells whether a conversation looks like another bot replying to ours. `turns` are the contact's
 * latest messages, newest first. Fast replies: each of the last `fastTurns` messages came within
 * `minReplySeconds` of one of our replies, faster than a person reads and types. Repeats: the last
 * `repeatCount` messages have the same text, ignoring case, spacing and punctuation.
 */
export function detectLoop(turns: InboundTurn[], settings: LoopSettings): LoopReason | null {
  const recent = turns.slice(0, settings.fastTurns);
  const isFast = (turn: InboundTurn, index: number): boolean => {
    const previous = turns[index + 1];

    // Only a message sent after one of our replies counts as a turn.
    if (!turn.lastReplyAt || (previous && turn.lastReplyAt < previous.receivedAt)) {
      return false;
    }

    return turn.receivedAt.getTime() - turn.lastReplyAt.getTime() < settings.minReplySeconds * 1000;
  };

  if (recent.length === settings.fastTurns && recent.every(isFast)) {
    return 'loop_fast_replies';
  }

  const repeated = turns.slice(0, settings.repeatCount).map((turn) => normalise(turn.body));

  if (repeated.length === settings.repeatCount && repeated.every((text) => text === repeated[0])) {
    return 'loop_repeated_text';
  }

  return null;
}
