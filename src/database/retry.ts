export interface RetryOptions {
  /** Attempts in all, the first one included. */
  maxAttempts: number;
  /** True for an error after which the work may succeed when run again. */
  isRetryable: (error: unknown) => boolean;
  /** Runs before each new attempt, for example to log or to wait. */
  beforeRetry?: (attempt: number, error: unknown) => void | Promise<void>;
}

/** Runs work, and runs it again after a retryable error until maxAttempts is reached. */
export async function retry<T>(work: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await work();
    } catch (error) {
      if (attempt >= options.maxAttempts || !options.isRetryable(error)) {
        throw error;
      }

      await options.beforeRetry?.(attempt, error);
    }
  }
}
