/**
 * Decides when a repeated log line is written: at most once per interval for each key, with the
 * number of occurrences skipped since the last one. Keeps a flood of identical events out of the
 * log. The number of keys is bounded, and the oldest key is forgotten first.
 */
export class LogSampler {
  private readonly lastLogged = new Map<string, { atMs: number; skipped: number }>();

  constructor(
    private readonly intervalMs: number,
    private readonly maxKeys = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns the number of skipped occurrences when this one should be logged, otherwise undefined. */
  sample(key: string): number | undefined {
    const nowMs = this.now();
    const state = this.lastLogged.get(key);

    if (state && nowMs - state.atMs < this.intervalMs) {
      state.skipped += 1;

      return undefined;
    }

    const skipped = state?.skipped ?? 0;

    this.lastLogged.delete(key);

    if (this.lastLogged.size >= this.maxKeys) {
      const oldest = this.lastLogged.keys().next();

      if (!oldest.done) {
        this.lastLogged.delete(oldest.value);
      }
    }

    this.lastLogged.set(key, { atMs: nowMs, skipped: 0 });

    return skipped;
  }
}
