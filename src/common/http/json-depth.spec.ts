import { isNestedDeeperThan } from './json-depth';

function nestedArrays(depth: number): unknown {
  return JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
}

describe('isNestedDeeperThan', () => {
  it.each([null, 1, 'text', true])('treats the scalar %j as depth 0', (value) => {
    expect(isNestedDeeperThan(value, 0)).toBe(false);
  });

  it('counts objects and arrays', () => {
    expect(isNestedDeeperThan({ a: [{ b: 1 }] }, 3)).toBe(false);
    expect(isNestedDeeperThan({ a: [{ b: {} }] }, 3)).toBe(true);
  });

  it('allows exactly the limit', () => {
    expect(isNestedDeeperThan(nestedArrays(32), 32)).toBe(false);
    expect(isNestedDeeperThan(nestedArrays(33), 32)).toBe(true);
  });

  it('handles depth far beyond the call stack', () => {
    expect(isNestedDeeperThan(nestedArrays(200_000), 32)).toBe(true);
  });
});
