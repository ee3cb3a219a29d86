import { cpuCount } from './bench-config';

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
