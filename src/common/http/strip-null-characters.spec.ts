import { stripNullCharacters } from './strip-null-characters';

describe('stripNullCharacters', () => {
  it('cleans a plain string', () => {
    expect(stripNullCharacters('a\u0000b\u0000')).toBe('ab');
  });

  it('cleans nested strings, array items and keys', () => {
    const value = JSON.parse(
      '{"text":"a\\u0000b","list":["x\\u0000",1,null],"deep":{"k\\u0000ey":"v"}}',
    );

    expect(stripNullCharacters(value)).toEqual({
      text: 'ab',
      list: ['x', 1, null],
      deep: { key: 'v' },
    });
  });

  it('leaves other values unchanged', () => {
    const value = { count: 3, flag: false, empty: null, text: 'plain' };

    expect(stripNullCharacters(value)).toEqual({
      count: 3,
      flag: false,
      empty: null,
      text: 'plain',
    });
  });

  it('keeps the listed top-level values', () => {
    const value = JSON.parse('{"id":"a\\u0000","text":"b\\u0000","deep":{"id":"c\\u0000"}}');

    expect(stripNullCharacters(value, new Set(['id']))).toEqual({
      id: 'a\u0000',
      text: 'b',
      deep: { id: 'c' },
    });
  });
});
