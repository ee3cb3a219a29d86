import type { IncomingMessage } from 'node:http';

import { loadConfig } from '../config/load-config';
import { loggerParams, requestIdFor } from './logging.module';

function requestWithId(id?: string): IncomingMessage {
  return { headers: id === undefined ? {} : { 'x-request-id': id } } as IncomingMessage;
}

describe('loggerParams', () => {
  it('writes to stdout only by default', () => {
    const params = loggerParams(loadConfig({}));

    expect(params.pinoHttp).toMatchObject({ transport: undefined });
  });

  it('adds a rotating file target when LOG_FILE is set', () => {
    const params = loggerParams(
      loadConfig({
        LOG_FILE: '/tmp/aias.log',
        LOG_FILE_SIZE: '5m',
        LOG_FILE_FREQUENCY: 'hourly',
        LOG_FILE_KEEP: '3',
      }),
    );
    const targets = (
      params.pinoHttp as { transport: { targets: { target: string; options: unknown }[] } }
    ).transport.targets;

    expect(targets.map((target) => target.target)).toEqual(['pino-roll', 'pino/file']);
    expect(targets[0].options).toMatchObject({
      file: '/tmp/aias.log',
      size: '5m',
      frequency: 'hourly',
      limit: { count: 3 },
    });
  });

  it('redacts credentials, phone numbers and message text', () => {
    const redact = (params: ReturnType<typeof loggerParams>) =>
      (params.pinoHttp as { redact: { paths: string[] } }).redact.paths;
    const paths = redact(loggerParams(loadConfig({})));

    expect(paths).toEqual(
      expect.arrayContaining([
        'req.headers.authorization',
        'req.headers["x-blooio-signature"]',
        '*.phone',
        '*.text',
      ]),
    );
  });
});

describe('requestIdFor', () => {
  it('keeps a well-formed incoming id', () => {
    expect(requestIdFor(requestWithId('abc-12345678'))).toBe('abc-12345678');
  });

  it.each(['short', 'has space 12345', 'x'.repeat(200), 'semi;colon12345'])('replaces %p', (id) => {
    expect(requestIdFor(requestWithId(id))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates an id when none is sent', () => {
    expect(requestIdFor(requestWithId())).toMatch(/^[0-9a-f-]{36}$/);
  });
});
