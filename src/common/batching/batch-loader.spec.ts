import { BatchLoader, BatchQueueFullError } from './batch-loader';

interface Deferred {
  items: readonly string[];
  finish: () => void;
}

/** Builds a BatchLoader whose batches stay open until the test finishes them. */
function controlledLoader(options: {
  maxBatchSize: number;
  concurrency: number;
  maxQueued?: number;
}) {
  const batches: Deferred[] = [];
  const loader = new BatchLoader<string, string>(
    (items) =>
      new Promise((resolve) => {
        batches.push({ items, finish: () => resolve(items.map((item) => `done:${item}`)) });
      }),
    { maxQueued: 1000, ...options },
  );

  return { loader, batches };
}

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('BatchLoader', () => {
  it('sends the calls of one turn as one batch', async () => {
    const { loader, batches } = controlledLoader({ maxBatchSize: 10, concurrency: 1 });
    const results = Promise.all(['a', 'b', 'c'].map((item) => loader.load(item)));

    await nextTurn();
    batches[0].finish();

    expect(batches.map((batch) => batch.items)).toEqual([['a', 'b', 'c']]);
    await expect(results).resolves.toEqual(['done:a', 'done:b', 'done:c']);
  });

  it('holds calls while every slot is busy and sends them together', async () => {
    const { loader, batches } = controlledLoader({ maxBatchSize: 10, concurrency: 1 });
    const first = loader.load('a');

    await nextTurn();
    const later = [loader.load('b')];

    await nextTurn();
    later.push(loader.load('c'));
    await nextTurn();

    expect(batches).toHaveLength(1);

    batches[0].finish();
    await first;
    await nextTurn();
    batches[1].finish();

    expect(batches.map((batch) => batch.items)).toEqual([['a'], ['b', 'c']]);
    await expect(Promise.all(later)).resolves.toEqual(['done:b', 'done:c']);
  });

  it('runs at most `concurrency` batches and splits at maxBatchSize', async () => {
    const { loader, batches } = controlledLoader({ maxBatchSize: 2, concurrency: 2 });
    const results = Promise.all(['a', 'b', 'c', 'd', 'e'].map((item) => loader.load(item)));

    await nextTurn();
    expect(batches.map((batch) => batch.items)).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);

    batches[0].finish();
    await nextTurn();
    await nextTurn();
    expect(batches.map((batch) => batch.items)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);

    batches[1].finish();
    batches[2].finish();
    await expect(results).resolves.toHaveLength(5);
  });

  it('fails only the calls whose result is an error', async () => {
    const loader = new BatchLoader<string, string>(
      (items) =>
        Promise.resolve(items.map((item) => (item === 'bad' ? new Error('refused') : item))),
      { maxBatchSize: 10, concurrency: 1, maxQueued: 100 },
    );
    const results = await Promise.allSettled(['ok', 'bad'].map((item) => loader.load(item)));

    expect(results).toEqual([
      { status: 'fulfilled', value: 'ok' },
      { status: 'rejected', reason: new Error('refused') },
    ]);
  });

  it('frees the slot of a batch that throws', async () => {
    let calls = 0;
    const loader = new BatchLoader<string, string>(
      (items) => {
        calls += 1;

        return calls === 1 ? Promise.reject(new Error('down')) : Promise.resolve([...items]);
      },
      { maxBatchSize: 10, concurrency: 1, maxQueued: 100 },
    );

    await expect(loader.load('a')).rejects.toThrow('down');
    await expect(loader.load('b')).resolves.toBe('b');
  });

  it('rejects calls beyond maxQueued until a batch starts', async () => {
    const { loader, batches } = controlledLoader({
      maxBatchSize: 10,
      concurrency: 1,
      maxQueued: 2,
    });
    const first = loader.load('a');

    await nextTurn();
    const queued = [loader.load('b'), loader.load('c')];
    const rejected = loader.load('d');

    await expect(rejected).rejects.toBeInstanceOf(BatchQueueFullError);

    batches[0].finish();
    await first;
    await nextTurn();
    const afterwards = loader.load('e');

    batches[1].finish();
    await expect(Promise.all(queued)).resolves.toEqual(['done:b', 'done:c']);
    await nextTurn();
    batches[2].finish();
    await expect(afterwards).resolves.toBe('done:e');
  });
});
