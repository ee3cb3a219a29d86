import DataLoader from 'dataloader';

export interface BatchLoaderOptions {
  /** Maximum items per batch. */
  maxBatchSize: number;
  /** Maximum batches running at once. */
  concurrency: number;
  /** Maximum calls waiting for a batch to start. More are rejected with BatchQueueFullError. */
  maxQueued: number;
}

/** Rejects a call when maxQueued calls already wait, so a backlog cannot grow without bound. */
export class BatchQueueFullError extends Error {
  override readonly name = 'BatchQueueFullError';
}

/** Runs one batch and returns a result or an Error for each item, in the items' order. */
export type RunBatch<Item, Result> = (items: readonly Item[]) => Promise<Array<Result | Error>>;

/**
 * Groups calls into batches with DataLoader and runs at most `concurrency` batches at once.
 *
 * A call made while a slot is free leaves on the next turn of the event loop, together with the
 * calls made in the same turn. Calls made while every slot is busy wait, and leave together as soon
 * as a batch ends. So a lone call waits for nothing, and batches grow only when the load does.
 * Once maxQueued calls wait, further calls are rejected at once instead of joining the backlog.
 */
export class BatchLoader<Item, Result> {
  private readonly loader: DataLoader<Item, Result>;
  private readonly waiting: Array<() => void> = [];
  private running = 0;
  private queued = 0;

  constructor(
    run: RunBatch<Item, Result>,
    private readonly options: BatchLoaderOptions,
  ) {
    this.loader = new DataLoader<Item, Result>(
      async (items) => {
        this.queued -= items.length;

        try {
          return await run(items);
        } finally {
          this.release();
        }
      },
      {
        cache: false,
        maxBatchSize: options.maxBatchSize,
        batchScheduleFn: (dispatch) => this.schedule(dispatch, options.concurrency),
      },
    );
  }

  load(item: Item): Promise<Result> {
    if (this.queued >= this.options.maxQueued) {
      return Promise.reject(
        new BatchQueueFullError(`${this.queued} calls already wait for a batch`),
      );
    }

    this.queued += 1;

    return this.loader.load(item);
  }

  private schedule(dispatch: () => void, concurrency: number): void {
    if (this.running < concurrency) {
      this.running += 1;
      setImmediate(dispatch);

      return;
    }

    this.waiting.push(dispatch);
  }

  // A finished batch hands its slot straight to the oldest waiting one.
  private release(): void {
    const next = this.waiting.shift();

    if (next) {
      setImmediate(next);

      return;
    }

    this.running -= 1;
  }
}
