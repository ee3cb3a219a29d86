import type { IncomingMessage } from 'node:http';

import pino from 'pino';
import type { LoggerOptions } from 'pino';

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

  it('redacts sensitive fields one level down', () => {
    const lines: string[] = [];
    const { redact } = loggerParams(loadConfig({})).pinoHttp as { redact: LoggerOptions['redact'] };
    const logger = pino({ redact }, { write: (line: string) => lines.push(line) });

    logger.info(
      {
        phone: '+15551230000',
        apiKey: 'aias_key',
        err: { message: 'send failed', body: 'Hi, this is Ann', token: 'tok' },
        contact: { phone: '+15551230001', email: 'ann@example.com', kind: 'phone' },
        config: { secret: 'whsec_x' },
        tenantId: 'kept',
      },
      'done',
    );

    const line = JSON.parse(lines[0]) as Record<string, unknown>;

    expect(line).toMatchObject({
      phone: '[redacted]',
      apiKey: '[redacted]',
      err: { message: 'send failed', body: '[redacted]', token: '[redacted]' },
      contact: { phone: '[redacted]', email: '[redacted]', kind: 'phone' },
      config: { secret: '[redacted]' },
      tenantId: 'kept',
    });
    expect(lines[0]).not.toMatch(/\+1555|aias_key|Ann|whsec_x|tok"/);
  });

  // Headers are left out by the serializer, so credentials in them need no redaction path.
  it('logs no request headers', () => {
    const { serializers } = loggerParams(loadConfig({})).pinoHttp as {
      serializers: { req: (req: unknown) => unknown };
    };

    expect(
      serializers.req({
        id: 'req-1',
        method: 'POST',
        url: '/v1/conversations?phone=%2B15551230000',
        headers: { authorization: 'Bearer aias_key', 'x-blooio-signature': 't=1,v1=ab' },
      }),
    ).toEqual({ id: 'req-1', method: 'POST', url: '/v1/conversations?phone=[redacted]' });
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
