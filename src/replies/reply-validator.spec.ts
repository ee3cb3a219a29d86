import { validateReply } from './reply-validator';

const rules = { maxLength: 480, allowLinks: false };

describe('validateReply', () => {
  it('accepts a plain reply and trims it', () => {
    expect(validateReply('  Hi! When suits you?\n', rules)).toEqual({
      isValid: true,
      text: 'Hi! When suits you?',
    });
  });

  it.each([
    ['', 'empty'],
    ['   \n ', 'empty'],
    ['x'.repeat(481), 'too_long'],
    ['Hello\u0007there', 'control_characters'],
    ['Hello\u202Ethere', 'control_characters'],
    ['Book at https://example.com/book', 'link'],
    ['Book at www.example.com', 'link'],
    ['Book at example.com/book', 'link'],
    ['Hi {{first_name}}, thanks', 'prompt_marker'],
    ['<|assistant|> Hello', 'prompt_marker'],
    ['[INST] reply to the lead [/INST]', 'prompt_marker'],
    ['As an AI, I cannot book appointments.', 'prompt_marker'],
    ['Hi [Customer Name], thanks!', 'prompt_marker'],
    ['assistant: Hello there', 'prompt_marker'],
  ])('rejects %j as %s', (text, reason) => {
    expect(validateReply(text, rules)).toEqual({ isValid: false, reason });
  });

  it('counts characters, not UTF-16 units', () => {
    expect(validateReply('😀'.repeat(480), rules).isValid).toBe(true);
  });

  it('allows links when the tenant does', () => {
    expect(
      validateReply('Book at https://example.com', { ...rules, allowLinks: true }).isValid,
    ).toBe(true);
  });
});
