import { keywordOf } from './keywords';

describe('keywordOf', () => {
  it.each([
    ['STOP', 'stop'],
    ['stop', 'stop'],
    [' Stop. ', 'stop'],
    ['unsubscribe!!', 'stop'],
    ['Cancel', 'stop'],
    ['end', 'stop'],
    ['QUIT', 'stop'],
    ['"stop"', 'stop'],
    ['Start', 'start'],
    ['help?', 'help'],
  ])('reads %j as %s', (text, keyword) => {
    expect(keywordOf(text)).toBe(keyword);
  });

  it.each(['please stop texting me', 'stop it', "don't stop", 'stopping', 'the end is near', ''])(
    'ignores %j',
    (text) => {
      expect(keywordOf(text)).toBeNull();
    },
  );
});
