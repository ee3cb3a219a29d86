/** The last share of a TTL in which a read starts a background reload. */
const refreshAheadShare = 0.2;

interface Entry<V> {
  value: Promise<V>;
  /** When the load started; reloads are spaced from this. */
  loadedAtMs: number;
  /** Infinity while the load is pending, so concurrent callers share one load. */
  expiresAtMs: number;
  /** True while a reload of this entry runs in the background. */
  isRefreshing?: boolean;
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
 *
 * A read in the last fifth of an entry's TTL starts one reload in the background and still gets
 * the cached value (refresh-ahead). Entries loaded together expire together, and without this
 * every caller of every such key waited on its reload at the same moment, once per TTL. An entry
 * is never returned after its TTL, so a removed value stops being served within the TTL.
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
    const nowMs = this.now();

    if (entry && entry.expiresAtMs > nowMs) {
      if (nowMs >= entry.expiresAtMs - this.options.ttlMs * refreshAheadShare) {
        this.refresh(key, entry, load);
      }

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

  private refresh(key: string, stale: Entry<V>, load: () => Promise<V>): void {
    if (stale.isRefreshing) {
      return;
    }

    stale.isRefreshing = true;

    const loadedAtMs = this.now();
    const value = load();

    value.then(
      () => {
        // A reload() or an eviction may have replaced the entry meanwhile; that one stays.
        if (this.entries.get(key) === stale) {
          this.entries.set(key, {
            value,
            loadedAtMs,
            expiresAtMs: this.now() + this.options.ttlMs,
          });
        }
      },
      () => {
        stale.isRefreshing = false;
      },
    );
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
