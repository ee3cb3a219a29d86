import type { PinoLogger } from 'nestjs-pino';

import { FakeBlooio, fakeBlooioApiKey } from '../../test/support/fakes/fake-blooio';
import { loadConfig } from '../config/load-config';
import { BlooioClient } from './blooio-client';
import { BlooioSendRejectedError, BlooioUnavailableError } from './blooio.errors';

const logger = { setContext: jest.fn(), warn: jest.fn() } as unknown as PinoLogger;

function makeClient(blooio: FakeBlooio, env: Record<string, string> = {}): BlooioClient {
  const config = loadConfig({
    BLOOIO_BASE_URL: blooio.baseUrl,
    BLOOIO_API_KEY: fakeBlooioApiKey,
    BLOOIO_TIMEOUT_MS: '300',
    BLOOIO_MAX_ATTEMPTS: '4',
    BLOOIO_RETRY_BASE_DELAY_MS: '10',
    ...env,
  });

  return new BlooioClient(config, logger);
}

const request = {
  chatId: '+14155550123',
  fromNumber: '+14155550100',
  text: 'Hi there',
  idempotencyKey: 'reply-1',
};

describe(BlooioClient.name, () => {
  let blooio: FakeBlooio;

  beforeEach(async () => {
    blooio = await new FakeBlooio().start();
  });

  afterEach(async () => {
    await blooio.stop();
  });

  it('sends with encoded chat id and headers', async () => {
    const result = await makeClient(blooio).send(request);

    expect(result.outcome).toBe('accepted');
    expect(result.providerMessageId).toMatch(/^msg_/);
    expect(blooio.requests[0].rawPath).toBe('/v2/api/chats/%2B14155550123/messages');
    expect(blooio.requests[0].idempotencyKey).toBe('reply-1');
    expect(blooio.requests[0].fromNumber).toBe('+14155550100');
    expect(blooio.requests[0].text).toBe('Hi there');
  });

  it('retries a timeout with the same key and bills once', async () => {
    blooio.willRespond({ kind: 'accept_slowly', delayMs: 1000 });

    const result = await makeClient(blooio).send(request);

    expect(result.outcome).toBe('duplicate');
    expect(result.attempts).toBe(2);
    expect(blooio.requests.map((r) => r.idempotencyKey)).toEqual(['reply-1', 'reply-1']);
    expect(blooio.billedCount).toBe(1);
  });

  it('treats 409 for a repeated key as sent', async () => {
    blooio.duplicateStatus = 409;
    blooio.willRespond({ kind: 'accept_slowly', delayMs: 1000 });

    const result = await makeClient(blooio).send(request);

    expect(result.outcome).toBe('duplicate');
    expect(blooio.billedCount).toBe(1);
  });

  it('retries 503 and then succeeds', async () => {
    blooio.willRespond({ kind: 'fail', status: 503, code: 'no_active_device' });

    const result = await makeClient(blooio).send(request);

    expect(result).toMatchObject({ outcome: 'accepted', attempts: 2 });
    expect(blooio.billedCount).toBe(1);
  });

  it('honours Retry-After on a plain 429', async () => {
    blooio.willRespond({ kind: 'fail', status: 429, retryAfter: '1' });
    const startedAt = Date.now();

    const result = await makeClient(blooio).send(request);

    expect(result.outcome).toBe('accepted');
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(1000);
  });

  it.each(['outbound_limit_reached', 'new_conversation_limit_reached'])(
    'does not retry quota code %s',
    async (code) => {
      blooio.willRespond({ kind: 'fail', status: 429, code });

      const error = await makeClient(blooio)
        .send(request)
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(BlooioSendRejectedError);
      expect((error as BlooioSendRejectedError).isQuota()).toBe(true);
      expect(blooio.requests).toHaveLength(1);
    },
  );

  it.each([400, 402, 403, 404])('does not retry HTTP %d', async (status) => {
    blooio.willRespond({ kind: 'fail', status, code: 'reply_target_not_found' });

    await expect(makeClient(blooio).send(request)).rejects.toBeInstanceOf(BlooioSendRejectedError);
    expect(blooio.requests).toHaveLength(1);
  });

  it('replaces a code that is not an identifier', async () => {
    blooio.willRespond({ kind: 'fail', status: 400, code: 'send to +12125550243 failed: hi Ann' });

    const error: unknown = await makeClient(blooio)
      .send(request)
      .catch((rejection: unknown) => rejection);

    expect((error as BlooioSendRejectedError).code).toBe('unrecognized_code_http_400');
  });

  it('gives up after the attempt limit', async () => {
    blooio.willRespond(
      { kind: 'fail', status: 500 },
      { kind: 'fail', status: 502 },
      { kind: 'fail', status: 408 },
      { kind: 'fail', status: 504 },
    );

    await expect(makeClient(blooio).send(request)).rejects.toBeInstanceOf(BlooioUnavailableError);
    expect(blooio.requests).toHaveLength(4);
  });

  it('retries a refused connection', async () => {
    const client = makeClient(blooio, { BLOOIO_MAX_ATTEMPTS: '2' });

    await blooio.stop();

    await expect(client.send(request)).rejects.toThrow(/network error/);
  });

  it('stops waiting when Retry-After exceeds the limit', async () => {
    blooio.willRespond({ kind: 'fail', status: 429, retryAfter: '120' });

    await expect(makeClient(blooio).send(request)).rejects.toThrow(/BLOOIO_MAX_RETRY_DELAY_MS/);
    expect(blooio.requests).toHaveLength(1);
  });
});
