import { detectLoop } from './loop-detector';
import type { InboundTurn } from './loop-detector';

const settings = { minReplySeconds: 4, fastTurns: 3, repeatCount: 3 };
const start = Date.parse('2026-12-04T10:00:00Z');

/** Builds turns newest first from [seconds after our reply, seconds since start, text]. */
function turns(rows: [number | null, number, string][]): InboundTurn[] {
  return rows.map(([gap, at, body]) => ({
    body,
    receivedAt: new Date(start + at * 1000),
    lastReplyAt: gap === null ? null : new Date(start + (at - gap) * 1000),
  }));
}

describe('detectLoop', () => {
  it('trips on three fast answers in a row', () => {
    const history = turns([
      [1, 30, 'c'],
      [2, 20, 'b'],
      [1, 10, 'a'],
    ]);

    expect(detectLoop(history, settings)).toBe('loop_fast_replies');
  });

  it('ignores a slow answer among fast ones', () => {
    const history = turns([
      [1, 60, 'c'],
      [30, 50, 'b'],
      [1, 10, 'a'],
    ]);

    expect(detectLoop(history, settings)).toBeNull();
  });

  it('ignores messages that answer no reply', () => {
    // Three quick messages in a row after one reply: a person typing fast, not a loop.
    const history: InboundTurn[] = [
      { body: 'c', receivedAt: new Date(start + 3000), lastReplyAt: new Date(start) },
      { body: 'b', receivedAt: new Date(start + 2000), lastReplyAt: new Date(start) },
      { body: 'a', receivedAt: new Date(start + 1000), lastReplyAt: new Date(start) },
    ];

    expect(detectLoop(history, settings)).toBeNull();
  });

  it('trips on the same text three times', () => {
    const history = turns([
      [60, 300, 'Thanks for your message!'],
      [60, 200, 'thanks for your message'],
      [null, 100, 'Thanks  for your message.'],
    ]);

    expect(detectLoop(history, settings)).toBe('loop_repeated_text');
  });

  it('needs enough turns', () => {
    expect(detectLoop(turns([[1, 10, 'a']]), settings)).toBeNull();
  });
});
