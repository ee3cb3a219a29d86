import type { ArgumentsHost } from '@nestjs/common';
import { BadRequestException } from '@nestjs/common';
import type { PinoLogger } from 'nestjs-pino';

import type { AlertService } from '../../alerts/alert.service';
import { AllExceptionsFilter } from './all-exceptions.filter';

function makeHost(): { host: ArgumentsHost; sent: { status?: number; body?: unknown } } {
  const sent: { status?: number; body?: unknown } = {};
  const reply = {
    sent: false,
    header: () => reply,
    status: (status: number) => {
      sent.status = status;

      return reply;
    },
    send: (body: unknown) => {
      sent.body = body;

      return reply;
    },
  };
  const host = {
    switchToHttp: () => ({ getRequest: () => ({ id: 'req-1' }), getResponse: () => reply }),
  } as unknown as ArgumentsHost;

  return { host, sent };
}

describe(AllExceptionsFilter.name, () => {
  const logger = {
    setContext: jest.fn(),
    debug: jest.fn(),
    error: jest.fn(),
  } as unknown as PinoLogger;

  it('alerts on an unexpected error', () => {
    const alerts = { raise: jest.fn() };
    const filter = new AllExceptionsFilter(logger, alerts as unknown as AlertService);
    const { host, sent } = makeHost();

    filter.catch(new TypeError('boom'), host);

    expect(sent.status).toBe(500);
    expect(alerts.raise).toHaveBeenCalledWith(
      expect.objectContaining({
        kind: 'unexpected_error',
        message: 'Unexpected error (HTTP 500): TypeError',
      }),
    );
  });

  it('does not alert on a client error', () => {
    const alerts = { raise: jest.fn() };
    const filter = new AllExceptionsFilter(logger, alerts as unknown as AlertService);
    const { host, sent } = makeHost();

    filter.catch(new BadRequestException('bad'), host);

    expect(sent.status).toBe(400);
    expect(alerts.raise).not.toHaveBeenCalled();
  });

  it('works without an alert service', () => {
    const filter = new AllExceptionsFilter(logger);
    const { host, sent } = makeHost();

    filter.catch(new Error('boom'), host);

    expect(sent.status).toBe(500);
  });
});
