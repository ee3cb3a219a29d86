export type Keyword = 'stop' | 'start' | 'help';

// The carrier-standard opt-out, opt-in and help words (CTIA), matched only when alone in a message.
const keywords: Record<string, Keyword> = {
  STOP: 'stop',
  STOPALL: 'stop',
  UNSUBSCRIBE: 'stop',
  CANCEL: 'stop',
  END: 'stop',
  QUIT: 'stop',
  START: 'start',
  UNSTOP: 'start',
  HELP: 'help',
  INFO: 'help',
};

/**
 * Returns the keyword an inbound message consists of, ignoring case and surrounding whitespace and
 * punctuation ("Stop.", " stop!! "), or null when the message is anything more than one keyword.
 */
export function keywordOf(text: string): Keyword | null {
  const word = text.replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '').toUpperCase();

  return keywords[word] ?? null;
}
