import { Body, Controller, Get, Module, Post } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { IsString } from 'class-validator';

import { PrismaService } from '../src/database/prisma.service';
import { createTestApp } from './support/create-test-app';
import { LogCapture } from './support/log-capture';

class EchoDto {
  @IsString()
  name: string;
}

@Controller('test-errors')
class FailingController {
  constructor(private readonly prisma: PrismaService) {}

  @Get('unexpected')
  unexpected(): never {
    throw new Error('secret internal detail at /srv/app/file.ts:12');
  }

  @Get('sql')
  async sql(): Promise<unknown> {
    return this.prisma.$queryRawUnsafe('SELECT * FROM no_such_table');
  }

  @Post('echo')
  echo(@Body() body: EchoDto): EchoDto {
    return body;
  }
}

@Module({ controllers: [FailingController] })
class FailingModule {}

const internals = /at |\.ts:|node_modules|no_such_table|SELECT|prisma|secret internal/i;

describe('Error responses', () => {
  let app: NestFastifyApplication;
  const logs = new LogCapture();

  beforeAll(async () => {
    app = await createTestApp({
      imports: [FailingModule],
      logDestination: logs,
      env: { LOG_LEVEL: 'info' },
    });
  });

  afterAll(async () => {
    await app.close();
  });

  const postEchoEncoded = (encoding: string) =>
    app.inject({
      method: 'POST',
      url: '/test-errors/echo',
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      payload: '{"name":"x"}',
    });

  const postEchoTyped = (contentType: string) =>
    app.inject({
      method: 'POST',
      url: '/test-errors/echo',
      headers: { 'content-type': contentType },
      payload: '{"name":"x"}',
    });

  it('unexpected error returns a 500 with an error id', async () => {
    const response = await app.inject({ method: 'GET', url: '/test-errors/unexpected' });
    const body = response.json();

    expect(response.statusCode).toBe(500);
    expect(body.message).toBe('Internal server error');
    expect(body.errorId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).not.toMatch(internals);
  });

  it('logs the stack under the same error id', async () => {
    const response = await app.inject({ method: 'GET', url: '/test-errors/unexpected' });
    const { errorId } = response.json();
    const line = logs.lines.find((entry) => entry.errorId === errorId);
    const err = line?.err as { stack?: string } | undefined;

    expect(line?.level).toBe(50);
    expect(err?.stack).toContain('secret internal detail');
  });

  it('database error hides SQL and driver text', async () => {
    const response = await app.inject({ method: 'GET', url: '/test-errors/sql' });

    expect(response.statusCode).toBe(500);
    expect(response.body).not.toMatch(internals);
  });

  it('validation error keeps its 400 and message', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test-errors/echo',
      payload: { name: 1, extra: true },
    });
    const body = response.json();

    expect(response.statusCode).toBe(400);
    expect(body.message).toEqual(
      expect.arrayContaining(['property extra should not exist', 'name must be a string']),
    );
  });

  it('malformed URL is a 400 with a request id', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/conversations/%E0%A4%A' });
    const requestId = response.headers['x-request-id'];

    expect(response.statusCode).toBe(400);
    expect(response.json()).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request URL is not valid percent-encoding',
      requestId,
    });
    expect(response.body).not.toContain('%E0%A4%A');
    expect(logs.lines).toContainEqual(
      expect.objectContaining({ requestId, msg: 'Rejected a request before routing' }),
    );
  });

  it('malformed JSON is a 400 without internals', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test-errors/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });

    expect(response.statusCode).toBe(400);
    expect(response.body).not.toMatch(internals);
  });

  it('a non-JSON body is a 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test-errors/echo',
      headers: { 'content-type': 'text/plain' },
      payload: 'name=x',
    });

    expect(response.statusCode).toBe(415);
    expect(response.json().statusCode).toBe(415);
  });

  it('a compressed body is a 415', async () => {
    const response = await postEchoEncoded('gzip');

    expect(response.statusCode).toBe(415);
    expect(response.json().message).toBe(
      'Content-Encoding gzip is not supported: send the body uncompressed',
    );
    expect(response.headers['x-request-id']).toBeTruthy();
  });

  it('an odd encoding is not echoed', async () => {
    const response = await postEchoEncoded(`gzip, ${'x'.repeat(200)}`);

    expect(response.statusCode).toBe(415);
    expect(response.json().message).toBe(
      'This Content-Encoding is not supported: send the body uncompressed',
    );
  });

  it('an identity-encoded body is accepted', async () => {
    const response = await postEchoEncoded('identity');

    expect(response.statusCode).toBe(201);
  });

  it('a list of identity encodings is accepted', async () => {
    const response = await postEchoEncoded('identity, Identity');

    expect(response.statusCode).toBe(201);
  });

  it('a charset other than UTF-8 is a 415', async () => {
    const response = await postEchoTyped('application/json; charset=iso-8859-1');

    expect(response.statusCode).toBe(415);
    expect(response.json().message).toBe('Charset iso-8859-1 is not supported: send JSON as UTF-8');
  });

  it('a UTF-8 charset is accepted', async () => {
    const response = await postEchoTyped('application/json; charset="UTF-8"');

    expect(response.statusCode).toBe(201);
  });

  it('a body over 256 KiB is a 413', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/test-errors/echo',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ name: 'x'.repeat(300 * 1024) }),
    });

    expect(response.statusCode).toBe(413);
    expect(response.body).not.toMatch(internals);
  });

  it('redacts credentials in request logs', async () => {
    await app.inject({
      method: 'GET',
      url: '/test-errors/unexpected',
      headers: {
        authorization: 'Bearer aias_topsecretkey1_abc',
        'x-blooio-signature': 't=1,v1=abcdef',
      },
    });

    const joined = logs.raw.join('\n');

    expect(joined).not.toContain('topsecretkey1');
    expect(joined).not.toContain('v1=abcdef');
  });
});
