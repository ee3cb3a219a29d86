import { Writable } from 'node:stream';

import { Store, storage } from 'nestjs-pino/storage';
import pino from 'pino';

import { addRequestLogFields } from './request-log-fields';

/** Creates a pino logger that parses each line into `lines`. */
function capturingLogger(lines: Record<string, unknown>[]): pino.Logger {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
      done();
    },
  });

  return pino(sink);
}

describe('addRequestLogFields', () => {
  it('adds fields without a child logger', () => {
    const lines: Record<string, unknown>[] = [];
    const requestLogger = capturingLogger(lines).child({ req: { id: 'r-1' } });
    const store = new Store(requestLogger, requestLogger);

    storage.run(store, () => {
      addRequestLogFields({ tenantId: 't-1' });
      store.responseLogger?.info('request completed');
    });

    expect(store.logger).toBe(requestLogger);
    expect(lines).toEqual([
      expect.objectContaining({ req: { id: 'r-1' }, tenantId: 't-1', msg: 'request completed' }),
    ]);
  });

  it('adds fields to the response logger', () => {
    const lines: Record<string, unknown>[] = [];
    const root = capturingLogger(lines);
    const store = new Store(root.child({ part: 'request' }), root.child({ part: 'response' }));

    storage.run(store, () => addRequestLogFields({ outcome: 'stored' }));
    store.logger.info('during');
    store.responseLogger?.info('completed');

    expect(lines.map((line) => [line.part, line.outcome])).toEqual([
      ['request', 'stored'],
      ['response', 'stored'],
    ]);
  });

  it('does nothing outside a request', () => {
    expect(() => addRequestLogFields({ tenantId: 't-1' })).not.toThrow();
  });
});
