import { toE164 } from './to-e164';

describe('toE164', () => {
  it.each([
    ['+1 (415) 555-0100', 'US', '+14155550100'],
    ['(415) 555-0100', 'US', '+14155550100'],
    ['415.555.0100', 'US', '+14155550100'],
    ['020 7946 0018', 'GB', '+442079460018'],
    ['+442079460018', 'US', '+442079460018'],
  ])('normalises %p in %s', (input, region, expected) => {
    expect(toE164(input, region)).toBe(expected);
  });

  it.each([
    ['12', 'US'],
    ['+1 415', 'US'],
    ['4155550100', 'XX'],
    ['', 'US'],
  ])('rejects %p in %s', (input, region) => {
    expect(toE164(input, region)).toBeUndefined();
  });
});
