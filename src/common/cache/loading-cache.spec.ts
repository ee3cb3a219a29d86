import { LoadingCache } from './loading-cache';

function deferred<T>(): {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: Error): void;
} {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((done, fail) => {
    resolve = done;
    reject = fail;
  });

  return { promise, resolve, reject };
}

describe(LoadingCache.name, () => {
  let nowMs: number;
  const now = (): number => nowMs;

  beforeEach(() => {
    nowMs = 1_000_000;
  });

  it('loads once within the TTL', async () => {
    const cache = new LoadingCache<string>({ ttlMs: 1000, maxEntries: 10, now });
    const load = jest.fn(() => Promise.resolve('a'));

    await expect(cache.get('k', load)).resolves.toBe('a');
    nowMs += 799;
    await expect(cache.get('k', load)).resolves.toBe('a');
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('loads again after the TTL', async () => {
    const cache = new LoadingCache<string>({ ttlMs: 1000, maxEntries: 10, now });
    const load = jest.fn(() => Promise.resolve('a'));

    await cache.get('k', load);
    nowMs += 1000;
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('reloads in the background in the last fifth of the TTL', async () => {
    const cache = new LoadingCache<string>({ ttlMs: 1000, maxEntries: 10, now });
    const reloaded = deferred<string>();
    const load = jest.fn().mockResolvedValueOnce('old').mockReturnValueOnce(reloaded.promise);

    await cache.get('k', load);
    nowMs += 800;

    await expect(cache.get('k', load)).resolves.toBe('old');
    await expect(cache.get('k', load)).resolves.toBe('old');
    reloaded.resolve('new');
    await reloaded.promise;
    await expect(cache.get('k', load)).resolves.toBe('new');
    expect(load).toHaveBeenCalledTimes(2);
  });

  it('keeps the cached value when a background reload fails', async () => {
    const cache = new LoadingCache<string>({ ttlMs: 1000, maxEntries: 10, now });
    const load = jest
      .fn()
      .mockResolvedValueOnce('old')
      .mockRejectedValueOnce(new Error('database down'))
      .mockResolvedValueOnce('new');

    await cache.get('k', load);
    nowMs += 900;
    await expect(cache.get('k', load)).resolves.toBe('old');
    await Promise.resolve();
    await expect(cache.get('k', load)).resolves.toBe('old');
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('shares one pending load between callers', async () => {
    const cache = new LoadingCache<string>({ ttlMs: 0, maxEntries: 10, now });
    const pending = deferred<string>();
    const load = jest.fn(() => pending.promise);
    const first = cache.get('k', load);
    const second = cache.get('k', load);

    pending.resolve('a');
    await expect(Promise.all([first, second])).resolves.toEqual(['a', 'a']);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('does not cache a failed load', async () => {
    const cache = new LoadingCache<string>({ ttlMs: 1000, maxEntries: 10, now });
    const failing = jest.fn(() => Promise.reject(new Error('database down')));

    await expect(cache.get('k', failing)).rejects.toThrow('database down');
    await expect(cache.get('k', () => Promise.resolve('b'))).resolves.toBe('b');
  });

  it('caches a not-found result', async () => {
    const cache = new LoadingCache<string | null>({ ttlMs: 1000, maxEntries: 10, now });
    const load = jest.fn(() => Promise.resolve(null));

    await cache.get('k', load);
    await cache.get('k', load);
    expect(load).toHaveBeenCalledTimes(1);
  });

  it('spaces reloads by the minimum interval', async () => {
    const cache = new LoadingCache<string>({ ttlMs: 60_000, maxEntries: 10, now });

    await cache.get('k', () => Promise.resolve('old'));
    nowMs += 4999;
    expect(cache.reload('k', () => Promise.resolve('new'), 5000)).toBeUndefined();
    nowMs += 1;
    await expect(cache.reload('k', () => Promise.resolve('new'), 5000)).resolves.toBe('new');
    await expect(cache.get('k', () => Promise.resolve('other'))).resolves.toBe('new');
  });

  it('drops the oldest entry at the size bound', async () => {
    const cache = new LoadingCache<string>({ ttlMs: 60_000, maxEntries: 2, now });
    const load = jest.fn((value: string) => Promise.resolve(value));

    await cache.get('a', () => load('a'));
    await cache.get('b', () => load('b'));
    await cache.get('c', () => load('c'));
    expect(cache.size).toBe(2);
    await cache.get('a', () => load('a2'));
    expect(load).toHaveBeenLastCalledWith('a2');
  });
});
