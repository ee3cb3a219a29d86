import { DriverAdapterError } from '@prisma/driver-adapter-utils';

import { Prisma } from '../generated/prisma/client';
import { isDatabaseUnavailable } from './is-database-unavailable';

/** Builds the error Prisma throws for a failed raw query from the driver adapter's error. */
function rawQueryError(cause: ConstructorParameters<typeof DriverAdapterError>[0]): Error {
  return new Prisma.PrismaClientKnownRequestError('Raw query failed.', {
    code: 'P2010',
    clientVersion: '7.10.0',
    meta: { driverAdapterError: new DriverAdapterError(cause) },
  });
}

/** Builds a raw query error that carries the given SQLSTATE from PostgreSQL. */
function postgresError(code: string): Error {
  return rawQueryError({
    kind: 'postgres',
    code,
    severity: 'FATAL',
    message: 'server message',
    detail: undefined,
    column: undefined,
    hint: undefined,
    originalCode: code,
    originalMessage: 'server message',
  });
}

describe(isDatabaseUnavailable.name, () => {
  it.each(['57P01', '57P03'])('reads SQLSTATE %s from a raw query error', (code) => {
    expect(isDatabaseUnavailable(postgresError(code))).toBe(true);
  });

  it('reads an unreachable server from the adapter error kind', () => {
    const error = rawQueryError({ kind: 'ConnectionClosed' });

    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it('leaves a query error alone', () => {
    expect(isDatabaseUnavailable(postgresError('42P01'))).toBe(false);
  });

  it('follows the cause chain of a driver error', () => {
    const error = new Error('query failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });

    expect(isDatabaseUnavailable(error)).toBe(true);
  });
});
