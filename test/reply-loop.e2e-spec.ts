import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import type { BilledMessage, FakeBlooio } from './support/fakes/fake-blooio';
import type { FakeTelegram } from './support/fakes/fake-telegram';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import {
  asSuperuser,
  startReplyHarness,
  storeInbound,
  updateTenant,
  waitForAlert,
  waitForReply,
  uniqueContactNumber,
} from './support/replies';
import type { ReplyHarness } from './support/replies';

interface LoopOutcome {
  contact: string;
  sends: number;
  inbound: { reply_state: string; reply_reason: string | null }[];
  pausedReason: string | null;
}

// Each case waits for a background job through real PostgreSQL, well past Jest's 5 s default.
jest.setTimeout(30000);

describe('Two-bot loop', () => {
  let harness: ReplyHarness;
  let app: NestFastifyApplication;
  let blooio: FakeBlooio;
  let telegram: FakeTelegram;
  let tenant: SeededTenant;
  const botErrors: unknown[] = [];

  beforeAll(async () => {
    harness = await startReplyHarness();
    ({ app, blooio, telegram } = harness);
  });

  afterAll(async () => {
    await harness.close();
  });

  beforeEach(async () => {
    tenant = await seedTenant();
  });

  /** Makes the contact an auto-responder that replies at once to every message we send it. */
  function answerEveryReply(contact: string, text: (turn: number) => string): void {
    let turn = 0;

    blooio.onBilled = (message: BilledMessage) => {
      if (message.chatId !== contact) {
        return;
      }

      turn += 1;
      inbound(contact, text(turn)).catch((error: unknown) => botErrors.push(error));
    };
  }

  function inbound(contact: string, text: string): Promise<string> {
    return storeInbound(app, {
      tenant,
      from: contact,
      text,
    });
  }

  /** Starts a conversation with an auto-responder and returns once the loop has stopped. */
  async function runLoop(
    firstText: string,
    botText: (turn: number) => string,
  ): Promise<LoopOutcome> {
    const contact = uniqueContactNumber();

    answerEveryReply(contact, botText);
    await inbound(contact, firstText);

    return settle(contact);
  }

  /** Waits until a reply is withheld and nothing has moved for a second, then reads the outcome. */
  async function settle(contact: string): Promise<LoopOutcome> {
    const deadline = Date.now() + 30000;
    let previous = '';
    let stableSince = Date.now();

    for (;;) {
      const outcome = await readOutcome(contact);
      const snapshot = JSON.stringify(outcome);
      const isWithheld = outcome.inbound.some((m) => m.reply_state === 'withheld');
      const isIdle = outcome.inbound.every((m) => m.reply_state !== 'awaiting_reply');

      if (snapshot !== previous) {
        previous = snapshot;
        stableSince = Date.now();
      } else if (isWithheld && isIdle && Date.now() - stableSince > 1000) {
        return outcome;
      }

      if (Date.now() > deadline) {
        throw new Error(`The loop did not stop: ${snapshot}`);
      }

      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  async function readOutcome(contact: string): Promise<LoopOutcome> {
    return asSuperuser(async (client) => {
      const inbound = await client.query(
        `SELECT m.reply_state, m.reply_reason FROM messages AS m
         JOIN conversations AS c ON c.id = m.conversation_id
         WHERE c.tenant_id = $1 AND c.phone = $2 AND m.direction = 'inbound'
         ORDER BY m.created_at, m.id`,
        [tenant.tenantId, contact],
      );
      const conversation = await client.query(
        'SELECT paused_reason FROM conversations WHERE tenant_id = $1 AND phone = $2',
        [tenant.tenantId, contact],
      );

      return {
        contact,
        sends: [...blooio.billed.values()].filter((m) => m.chatId === contact).length,
        inbound: inbound.rows,
        pausedReason: conversation.rows[0]?.paused_reason ?? null,
      };
    });
  }

  it('breaks a fast loop and pauses the conversation', async () => {
    const outcome = await runLoop(
      'Hi, I would like a cleaning',
      (turn) => `Auto-reply ${turn}: thanks for your message!`,
    );

    expect(botErrors).toEqual([]);
    expect(outcome.sends).toBe(3);
    expect(outcome.inbound.at(-1)).toEqual({
      reply_state: 'withheld',
      reply_reason: 'loop_fast_replies',
    });
    expect(outcome.pausedReason).toBe('loop_fast_replies');
    await waitForAlert(telegram, /guard_tripped.*loop_fast_replies/);
  });

  it('keeps a paused conversation silent except for STOP', async () => {
    const outcome = await runLoop('Hi there', (turn) => `Auto-reply ${turn}`);
    const contact = outcome.contact;

    blooio.onBilled = undefined;

    const sendsBefore = outcome.sends;
    const laterId = await inbound(contact, 'Are you still there?');

    await expect(waitForReply(laterId)).resolves.toEqual({
      reply_state: 'withheld',
      reply_reason: 'conversation_paused',
    });

    const stopId = await inbound(contact, 'STOP');

    await expect(waitForReply(stopId)).resolves.toMatchObject({ reply_state: 'replied' });
    expect((await readOutcome(contact)).sends).toBe(sendsBefore + 1);
  });

  it('stops at the conversation cap', async () => {
    // Turn the loop breaker's speed check off so only the cap of 5 replies an hour can stop the loop.
    await updateTenant(tenant.tenantId, { loop_min_reply_seconds: 0, loop_repeat_count: 50 });
    const outcome = await runLoop(
      'Hi, I would like a cleaning',
      (turn) => `Auto-reply ${turn}: thanks for your message!`,
    );

    expect(botErrors).toEqual([]);
    expect(outcome.sends).toBe(5);
    expect(outcome.inbound).toHaveLength(6);
    expect(outcome.inbound.at(-1)).toEqual({
      reply_state: 'withheld',
      reply_reason: 'conversation_cap',
    });
    await waitForAlert(telegram, /guard_tripped.*conversation_cap/);
  });

  it('breaks a loop of repeated text', async () => {
    // With the speed check off, only the repeated text can stop this loop.
    await updateTenant(tenant.tenantId, { loop_min_reply_seconds: 0 });
    const outcome = await runLoop(
      'This number does not accept messages.',
      () => 'This number does not accept messages.',
    );

    expect(outcome.sends).toBe(2);
    expect(outcome.inbound.at(-1)).toEqual({
      reply_state: 'withheld',
      reply_reason: 'loop_repeated_text',
    });
    expect(outcome.pausedReason).toBe('loop_repeated_text');
  });
});
