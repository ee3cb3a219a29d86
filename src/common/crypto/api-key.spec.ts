import { apiKeyPrefix, ApiKeyHasher } from './api-key';

describe(ApiKeyHasher.name, () => {
  const hasher = new ApiKeyHasher(Buffer.alloc(32, 5));

  it('issues keys whose prefix is parsable', () => {
    const key = hasher.issue();

    expect(apiKeyPrefix(key.plaintext)).toBe(key.prefix);
    expect(key.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches only the issued key', () => {
    const key = hasher.issue();

    expect(hasher.matches(key.plaintext, key.hash)).toBe(true);
    expect(hasher.matches(`${key.plaintext.slice(0, -1)}x`, key.hash)).toBe(false);
    expect(hasher.matches(key.plaintext, 'abcd')).toBe(false);
  });

  it('hashes differently under another master key', () => {
    const key = hasher.issue();

    expect(new ApiKeyHasher(Buffer.alloc(32, 6)).matches(key.plaintext, key.hash)).toBe(false);
  });

  it.each([
    '',
    'aias_short_x',
    'Bearer aias_abcdefghijkl_x',
    'aias_abcdefghijkl_' + 'a'.repeat(42),
  ])('rejects malformed key %p', (value) => {
    expect(apiKeyPrefix(value)).toBeUndefined();
  });
});
