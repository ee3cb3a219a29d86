import { cpuCount, readLeadInSeconds, readPacedShares } from './bench-config';

describe('cpuCount', () => {
  it.each([
    ['1', 1],
    ['0,1', 2],
    ['0-3', 4],
    ['0,2-3', 3],
  ])('counts %s as %i', (list, expected) => {
    expect(cpuCount(list)).toBe(expected);
  });
});

describe('readPacedShares', () => {
  it('reads comma-separated shares', () => {
    expect(readPacedShares('0.5,0.8')).toEqual([0.5, 0.8]);
  });

  it('defaults to 0.8', () => {
    expect(readPacedShares()).toEqual([0.8]);
  });

  it.each(['80', 'abc', '0', '0.5,', '-0.2'])('rejects %p', (value) => {
    expect(() => readPacedShares(value)).toThrow(`got "${value}"`);
  });
});

describe('readLeadInSeconds', () => {
  it.each([
    ['3', 3],
    ['0', 0],
    ['1.5', 1.5],
  ])('reads %p as %p', (value, expected) => {
    expect(readLeadInSeconds(value)).toBe(expected);
  });

  it.each(['abc', '', '-1'])('rejects %p', (value) => {
    expect(() => readLeadInSeconds(value)).toThrow('BENCH_LEAD_IN_SECONDS must be');
  });
});
