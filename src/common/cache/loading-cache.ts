interface Entry<V> {
  value: Promise<V>;
  /** When the load started; reloads are spaced from this. */
  loadedAtMs: number;
  /** Infinity while the load is pending, so concurrent callers share one load. */
  expiresAtMs: number;
}

export interface LoadingCacheOptions {
  ttlMs: number;
  maxEntries: number;
  now?: () => number;
}

/**
 * An in-memory cache of asynchronous loads with a time to live, one load in flight per key, and a
 * size bound (the oldest entry is dropped first). A failed load is not cached, so the next caller
 * retries it. Results that mean "not found" are cached like any other value.
 */
export class LoadingCache<V> {
  private readonly entries = new Map<string, Entry<V>>();
  private readonly now: () => number;

  constructor(private readonly options: LoadingCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Returns the cached value, or starts a load when the key is missing or expired. */
  get(key: string, load: () => Promise<V>): Promise<V> {
    const entry = this.entries.get(key);

    if (entry && entry.expiresAtMs > this.now()) {
      return entry.value;
    }

    return this.start(key, load);
  }

  /**
   * Starts a new load unless the current one began less than `minIntervalMs` ago; returns undefined
   * when the reload was skipped. For callers that found the cached value stale.
   */
  reload(key: string, load: () => Promise<V>, minIntervalMs: number): Promise<V> | undefined {
    const entry = this.entries.get(key);

    if (entry && this.now() - entry.loadedAtMs < minIntervalMs) {
      return undefined;
    }

    return this.start(key, load);
  }

  private start(key: string, load: () => Promise<V>): Promise<V> {
    this.entries.delete(key);
    this.evictOldest();

    const entry: Entry<V> = { value: load(), loadedAtMs: this.now(), expiresAtMs: Infinity };

    this.entries.set(key, entry);
    entry.value.then(
      () => {
        entry.expiresAtMs = this.now() + this.options.ttlMs;
      },
      () => {
        if (this.entries.get(key) === entry) {
          this.entries.delete(key);
        }
      },
    );

    return entry.value;
  }

  private evictOldest(): void {
    while (this.entries.size >= this.options.maxEntries) {
      const oldest = this.entries.keys().next();

      if (oldest.done) {
        return;
      }

      this.entries.delete(oldest.value);
    }
  }
}
