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

  function logLine(fields: Record<string, unknown>): Record<string, unknown> {
    const lines: string[] = [];
    const { redact } = loggerParams(loadConfig({})).pinoHttp as { redact: LoggerOptions['redact'] };

    pino({ redact }, { write: (line: string) => lines.push(line) }).info(fields, 'done');

    return JSON.parse(lines[0]) as Record<string, unknown>;
  }

  it.each<[string, Record<string, unknown>, (line: Record<string, unknown>) => unknown]>([
    ['phone', { phone: '+15551230000' }, (line) => line.phone],
    ['apiKey', { apiKey: 'aias_key' }, (line) => line.apiKey],
    [
      'err.body',
      { err: { body: 'Hi, this is Ann' } },
      (line) => (line.err as { body: unknown }).body,
    ],
    ['err.token', { err: { token: 'tok' } }, (line) => (line.err as { token: unknown }).token],
    [
      'contact.phone',
      { contact: { phone: '+1555' } },
      (line) => (line.contact as { phone: unknown }).phone,
    ],
    [
      'contact.email',
      { contact: { email: 'a@b.c' } },
      (line) => (line.contact as { email: unknown }).email,
    ],
    [
      'config.secret',
      { config: { secret: 'whsec_x' } },
      (line) => (line.config as { secret: unknown }).secret,
    ],
  ])('redacts %s', (_path, fields, valueOf) => {
    expect(valueOf(logLine(fields))).toBe('[redacted]');
  });

  it('keeps fields that are not sensitive', () => {
    const line = logLine({ tenantId: 'kept', err: { message: 'send failed' } });

    expect(line.tenantId).toBe('kept');
    expect(line.err).toMatchObject({ message: 'send failed' });
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
    expect(requestIdFor(requestWithId('req-7f3a9c21b4'))).toBe('req-7f3a9c21b4');
  });

  it('keeps an incoming uuid', () => {
    const id = '00000000-0000-4000-8000-000000000042';

    expect(requestIdFor(requestWithId(id))).toBe(id);
  });

  it.each([
    'short',
    'has space 12345',
    'x'.repeat(200),
    'semi;colon12345',
    '1-212-555-0243',
    'req-14155551234',
    'x4155551234',
    'abc-415-555-1234-x',
    'aias_ab12cd_secretpart',
    'whsec_abcdefgh',
  ])('replaces %p', (id) => {
    expect(requestIdFor(requestWithId(id))).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('generates an id when none is sent', () => {
    expect(requestIdFor(requestWithId())).toMatch(/^[0-9a-f-]{36}$/);
  });
});
