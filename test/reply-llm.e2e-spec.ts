import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import type { FakeBlooio } from './support/fakes/fake-blooio';
import { FakeLlm } from './support/fakes/fake-llm';
import type { LlmBehaviour } from './support/fakes/fake-llm';
import type { FakeTelegram } from './support/fakes/fake-telegram';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import {
  startReplyHarness,
  storeInbound,
  updateTenant,
  waitForAlert,
  waitForReply,
  uniqueContactNumber,
} from './support/replies';
import type { ReplyHarness } from './support/replies';

const fallbackText = 'Thanks for your message! Someone from our team will get back to you shortly.';

// Each case waits for a background job through real PostgreSQL, well past Jest's 5 s default.
jest.setTimeout(30000);

describe('Replies from an LLM', () => {
  let harness: ReplyHarness;
  let app: NestFastifyApplication;
  let blooio: FakeBlooio;
  let llm: FakeLlm;
  let telegram: FakeTelegram;
  let tenant: SeededTenant;

  beforeAll(async () => {
    llm = await new FakeLlm().start();
    harness = await startReplyHarness({
      REPLY_RESPONDER: 'openai',
      LLM_BASE_URL: llm.baseUrl,
      LLM_API_KEY: 'llm-test-key',
      LLM_MODEL: 'test-model',
      LLM_TIMEOUT_MS: '1000',
      LLM_MAX_RETRIES: '1',
    });
    ({ app, blooio, telegram } = harness);
  });

  afterAll(async () => {
    await harness.close();
    await llm.stop();
  });

  beforeEach(async () => {
    tenant = await seedTenant();
    await updateTenant(tenant.tenantId, { business_details: 'Dental practice, open Mon-Fri 9-5.' });
  });

  async function replyTo(
    text: string,
    ...behaviours: LlmBehaviour[]
  ): Promise<{ sent: string[]; reason: string | null }> {
    const contact = uniqueContactNumber();

    llm.willRespond(...behaviours);

    const messageId = await storeInbound(app, {
      tenant,
      from: contact,
      text,
    });
    const state = await waitForReply(messageId);
    const sent = [...blooio.billed.values()].filter((m) => m.chatId === contact).map((m) => m.text);

    return { sent, reason: state.reply_reason };
  }

  it('sends a valid reply as written', async () => {
    const result = await replyTo('Do you do cleanings?', {
      kind: 'reply',
      content: ' Yes, we do! Would Tuesday at 10am work for you? ',
    });
    const request = llm.requests.at(-1);
    const messages = request?.body.messages as { role: string; content: string }[];

    expect(result).toEqual({
      sent: ['Yes, we do! Would Tuesday at 10am work for you?'],
      reason: null,
    });
    expect(request?.authorization).toBe('Bearer llm-test-key');
    expect(request?.body.model).toBe('test-model');
    expect(messages[0]).toMatchObject({
      role: 'system',
      content: expect.stringContaining('open Mon-Fri 9-5'),
    });
    expect(messages.at(-1)).toEqual({ role: 'user', content: 'Do you do cleanings?' });
  });

  it.each([
    ['too long', 'x'.repeat(481), 'fallback:too_long'],
    ['empty', '   ', 'fallback:empty'],
    ['with a link', 'Book here: https://evil.example/book', 'fallback:link'],
    ['with a template marker', 'Hi {{name}}, see you soon', 'fallback:prompt_marker'],
  ])('replaces a reply that is %s', async (_case, content, reason) => {
    const result = await replyTo('Hello', { kind: 'reply', content });

    expect(result).toEqual({ sent: [fallbackText], reason });
  });

  it('alerts when a reply is replaced', async () => {
    await replyTo('Hello', { kind: 'reply', content: 'Visit www.example.com' });
    await waitForAlert(
      telegram,
      new RegExp(`reply_invalid.*fallback message: link[\\s\\S]*${tenant.tenantId}`),
    );
  });

  it('sends links when the tenant allows them', async () => {
    await updateTenant(tenant.tenantId, { allow_links: true });

    const result = await replyTo('Hello', {
      kind: 'reply',
      content: 'Book at https://example.com/book',
    });

    expect(result.sent).toEqual(['Book at https://example.com/book']);
  });

  it('falls back when the LLM keeps failing', async () => {
    const before = llm.requests.length;
    const result = await replyTo(
      'Hello',
      { kind: 'fail', status: 500 },
      { kind: 'fail', status: 503 },
    );

    expect(result).toEqual({ sent: [fallbackText], reason: 'fallback:responder_failed' });
    expect(llm.requests.length - before).toBe(2);
  });

  it('rejects a reply cut off by the token limit', async () => {
    const result = await replyTo('Hello', {
      kind: 'reply',
      content: 'We are open from',
      finishReason: 'length',
    });

    expect(result).toEqual({ sent: [fallbackText], reason: 'fallback:responder_failed' });
  });
});
