import { isEmailAddress } from './email-address';

describe('isEmailAddress', () => {
  it.each(['jane@example.com', 'jane.doe+tag@sub.example.co.uk', 'émile@example.fr'])(
    'accepts %s',
    (value) => {
      expect(isEmailAddress(value)).toBe(true);
    },
  );

  it.each(['', 'jane', 'jane@', '@example.com', 'a@@b.c', 42, null])('rejects %j', (value) => {
    expect(isEmailAddress(value)).toBe(false);
  });

  it.each(['a\ud83d@example.com', 'a\ude00@example.com', '\ud83d'])(
    'rejects a lone surrogate in %j without throwing',
    (value) => {
      expect(isEmailAddress(value)).toBe(false);
    },
  );

  it('accepts a paired surrogate where isEmail does', () => {
    expect(() => isEmailAddress('a😀@example.com')).not.toThrow();
  });
});
