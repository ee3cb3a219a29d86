import { toContactAddress, toE164, toPossibleE164 } from './phone-number';

describe('toE164', () => {
  it.each([
    ['+14155552671', 'US', '+14155552671'],
    ['(415) 555-2671', 'US', '+14155552671'],
    ['415.555.2671', 'us', '+14155552671'],
    ['tel:+14155552671', 'US', '+14155552671'],
    ['07911 123456', 'GB', '+447911123456'],
    ['+447911123456', 'US', '+447911123456'],
  ])('normalises %s in %s', (raw, region, expected) => {
    expect(toE164(raw, region)).toBe(expected);
  });

  it.each([
    ['12345', 'US'],
    ['+14150012345', 'US'],
    ['not a number', 'US'],
    ['', 'US'],
    ['4'.repeat(65), 'US'],
  ])('rejects %s', (raw, region) => {
    expect(toE164(raw, region)).toBeUndefined();
  });

  it('reads a cached number again with the region of each call', () => {
    expect(toE164('07911 123456', 'GB')).toBe('+447911123456');
    expect(toE164('07911 123456', 'US')).toBeUndefined();
    expect(toE164('07911 123456', 'gb')).toBe('+447911123456');
  });

  it('keeps rejecting an invalid number on repeated calls', () => {
    expect(toE164('+14150012345', 'US')).toBeUndefined();
    expect(toE164('+14150012345', 'US')).toBeUndefined();
    expect(toPossibleE164('+14150012345')).toBe('+14150012345');
  });
});

describe('toPossibleE164', () => {
  it('adds a missing plus sign', () => {
    expect(toPossibleE164('14155550100')).toBe('+14155550100');
  });

  it('strips formatting', () => {
    expect(toPossibleE164(' +1 (415) 555-0100 ')).toBe('+14155550100');
  });

  it('accepts a possible but unassigned number', () => {
    expect(toPossibleE164('+14150012345')).toBe('+14150012345');
  });

  it.each(['', '123', 'hello', '+1'.padEnd(70, '5')])('rejects %j', (raw) => {
    expect(toPossibleE164(raw)).toBeUndefined();
  });
});

describe('toContactAddress', () => {
  it('reads a phone number', () => {
    expect(toContactAddress('415 555 2671', 'US')).toEqual({
      kind: 'phone',
      value: '+14155552671',
    });
  });

  it('reads and lowercases an email', () => {
    expect(toContactAddress(' Jane.Doe@Example.COM ', 'US')).toEqual({
      kind: 'email',
      value: 'jane.doe@example.com',
    });
  });

  it.each(['jane@', '@example.com', 'jane@@example.com', '555', 'x\ud83d@example.com'])(
    'rejects %j',
    (raw) => {
      expect(toContactAddress(raw, 'US')).toBeUndefined();
    },
  );
});
