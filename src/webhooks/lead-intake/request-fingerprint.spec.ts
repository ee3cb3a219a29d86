import { requestFingerprint } from './request-fingerprint';

describe('requestFingerprint', () => {
  it('ignores key order at every level', () => {
    expect(requestFingerprint({ a: 1, b: { c: 2, d: [1, { e: 3, f: 4 }] } })).toBe(
      requestFingerprint({ b: { d: [1, { f: 4, e: 3 }], c: 2 }, a: 1 }),
    );
  });

  it('keeps array order', () => {
    expect(requestFingerprint({ tags: ['a', 'b'] })).not.toBe(
      requestFingerprint({ tags: ['b', 'a'] }),
    );
  });

  it('tells values apart', () => {
    expect(requestFingerprint({ given: true })).not.toBe(requestFingerprint({ given: 'true' }));
  });

  it('returns a sha256 hex digest', () => {
    expect(requestFingerprint({})).toMatch(/^[0-9a-f]{64}$/);
  });
});
