import { randomUUID } from 'node:crypto';

import { auditEntries, querySuperuser } from './support/audit-entries';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import {
  startReplyHarness,
  storeInbound,
  uniqueContactNumber,
  waitForReply,
} from './support/replies';
import type { ReplyHarness } from './support/replies';
import { runCli } from './support/run-cli';

interface PauseColumns {
  replies_paused_at: Date | null;
  paused_reason: string | null;
  replies_resumed_at: Date | null;
}

/** Inserts a contact and a conversation, paused when `pause` is given, and returns the conversation id. */
async function insertConversation(
  tenant: SeededTenant,
  pause?: { at: Date; reason: string },
): Promise<string> {
  const contactId = randomUUID();
  const conversationId = randomUUID();
  const phone = uniqueContactNumber();

  await querySuperuser('INSERT INTO contacts (id, tenant_id, phone) VALUES ($1, $2, $3)', [
    contactId,
    tenant.tenantId,
    phone,
  ]);
  await querySuperuser(
    `INSERT INTO conversations
       (id, tenant_id, contact_id, phone, our_number, replies_paused_at, paused_reason, last_message_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $6)`,
    [
      conversationId,
      tenant.tenantId,
      contactId,
      phone,
      tenant.receivingNumber,
      pause?.at ?? null,
      pause?.reason ?? null,
    ],
  );

  return conversationId;
}

async function pauseOf(conversationId: string): Promise<PauseColumns> {
  const [row] = await querySuperuser<PauseColumns>(
    'SELECT replies_paused_at, paused_reason, replies_resumed_at FROM conversations WHERE id = $1',
    [conversationId],
  );

  return row;
}

describe('CLI conversation paused and resume', () => {
  let tenant: SeededTenant;
  let slug: string;

  beforeEach(async () => {
    tenant = await seedTenant();
    slug = `t-${tenant.tenantId}`;
  });

  describe('paused', () => {
    it('lists paused conversations, latest first', async () => {
      const older = await insertConversation(tenant, {
        at: new Date('2026-03-01T10:00:00Z'),
        reason: 'loop_fast_replies',
      });
      const newer = await insertConversation(tenant, {
        at: new Date('2026-03-02T10:00:00Z'),
        reason: 'loop_repeated_text',
      });

      await insertConversation(tenant);

      const result = await runCli(['conversation', 'paused', slug, '--json']);
      const listed = JSON.parse(result.stdout) as { id: string; pausedReason: string }[];

      expect(result.exitCode).toBe(0);
      expect(result.stderr).toBe('');
      expect(listed.map((row) => [row.id, row.pausedReason])).toEqual([
        [newer, 'loop_repeated_text'],
        [older, 'loop_fast_replies'],
      ]);
      expect(Object.keys(listed[0]).sort()).toEqual([
        'id',
        'lastMessageAt',
        'ourNumber',
        'pausedAt',
        'pausedReason',
        'phone',
      ]);
    });

    it('prints a table', async () => {
      const id = await insertConversation(tenant, {
        at: new Date('2026-03-01T10:00:00Z'),
        reason: 'loop_repeated_text',
      });
      const result = await runCli(['conversation', 'paused', tenant.tenantId]);
      const lines = result.stdout.trimEnd().split('\n');

      expect(lines[0]).toMatch(/^ID {2,}PAUSED {2,}REASON {2,}CONTACT {2,}LAST MESSAGE$/);
      expect(lines[1]).toMatch(
        new RegExp(`^${id} {2}2026-03-01T10:00:00.000Z {2}loop_repeated_text {2}\\+1415555\\d{4}`),
      );
      expect(lines).toHaveLength(2);
    });

    it('lists none of another tenant', async () => {
      const other = await seedTenant();

      await insertConversation(other, { at: new Date(), reason: 'loop_repeated_text' });

      const result = await runCli(['conversation', 'paused', slug, '--json']);

      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual([]);
    });

    it('says when --limit cut the list', async () => {
      for (let i = 0; i < 3; i += 1) {
        await insertConversation(tenant, { at: new Date(), reason: 'loop_repeated_text' });
      }

      const result = await runCli(['conversation', 'paused', slug, '--json', '--limit', '2']);

      expect(JSON.parse(result.stdout)).toHaveLength(2);
      expect(result.stderr).toBe(
        'Only the latest 2 paused conversations are listed: pass a larger --limit to see more\n',
      );
    });

    it.each(['0', '1001', 'all'])('rejects --limit %s', async (limit) => {
      const result = await runCli(['conversation', 'paused', slug, '--limit', limit]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe('Error: --limit must be an integer from 1 to 1000\n');
    });
  });

  describe('resume', () => {
    it('clears the pause and audits it', async () => {
      const pausedAt = new Date('2026-03-01T10:00:00Z');
      const id = await insertConversation(tenant, { at: pausedAt, reason: 'loop_repeated_text' });
      const result = await runCli(['conversation', 'resume', slug, id, '--actor', 'alice']);
      const pause = await pauseOf(id);
      const entries = await auditEntries(tenant.tenantId, 'conversation.replies_resumed');

      expect(result).toEqual({
        stdout: `Resumed replies to conversation ${id} of ${slug}\n`,
        stderr: '',
        exitCode: 0,
      });
      expect(pause.replies_paused_at).toBeNull();
      expect(pause.paused_reason).toBeNull();
      expect(pause.replies_resumed_at).toBeInstanceOf(Date);
      expect(entries).toEqual([
        {
          actor: 'alice',
          action: 'conversation.replies_resumed',
          details: {
            slug,
            conversationId: id,
            pausedAt: pausedAt.toISOString(),
            pausedReason: 'loop_repeated_text',
            resumedAt: pause.replies_resumed_at?.toISOString(),
          },
        },
      ]);
    });

    it('leaves a conversation that is not paused unchanged', async () => {
      const id = await insertConversation(tenant);
      const result = await runCli(['conversation', 'resume', slug, id]);

      expect(result).toEqual({
        stdout: `Replies to conversation ${id} of ${slug} were not paused: nothing changed\n`,
        stderr: '',
        exitCode: 0,
      });
      expect((await pauseOf(id)).replies_resumed_at).toBeNull();
      expect(await auditEntries(tenant.tenantId, 'conversation.replies_resumed')).toEqual([]);
    });

    it('rejects another tenant’s conversation', async () => {
      const other = await seedTenant();
      const foreign = await insertConversation(other, {
        at: new Date('2026-03-01T10:00:00Z'),
        reason: 'loop_repeated_text',
      });
      const result = await runCli(['conversation', 'resume', slug, foreign]);

      expect(result.exitCode).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        `Error: Tenant ${slug} has no conversation with the id "${foreign}": run "conversation paused ${slug}" to list its paused conversations\n`,
      );
      expect(await pauseOf(foreign)).toEqual({
        replies_paused_at: new Date('2026-03-01T10:00:00Z'),
        paused_reason: 'loop_repeated_text',
        replies_resumed_at: null,
      });
      expect(await auditEntries(tenant.tenantId, 'conversation.replies_resumed')).toEqual([]);
      expect(await auditEntries(other.tenantId, 'conversation.replies_resumed')).toEqual([]);
    });

    it('rejects an unknown conversation id', async () => {
      const unknown = randomUUID();
      const result = await runCli(['conversation', 'resume', slug, unknown]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`has no conversation with the id "${unknown}"`);
    });

    it.each(['not-a-uuid', '12345', `${randomUUID()}x`, "'; DROP TABLE conversations; --"])(
      'rejects the malformed id %j',
      async (malformed) => {
        const id = await insertConversation(tenant, {
          at: new Date('2026-03-01T10:00:00Z'),
          reason: 'loop_repeated_text',
        });
        const result = await runCli(['conversation', 'resume', slug, malformed]);

        expect(result.exitCode).toBe(1);
        expect(result.stderr).toBe(
          `Error: The conversation id "${malformed}" is not a UUID: copy it from "conversation paused <tenant>"\n`,
        );
        expect((await pauseOf(id)).paused_reason).toBe('loop_repeated_text');
        expect(await auditEntries(tenant.tenantId, 'conversation.replies_resumed')).toEqual([]);
      },
    );

    it('rejects an unknown tenant', async () => {
      const result = await runCli(['conversation', 'resume', 'no-such-tenant', randomUUID()]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        'Error: No tenant has the id or slug "no-such-tenant": run "tenant list" to see them\n',
      );
    });

    it('reports a missing conversation argument', async () => {
      const result = await runCli(['conversation', 'resume', slug]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain("error: missing required argument 'conversation'");
    });
  });

  // The reply worker runs against a fake Blooio, so each step waits for a background job.
  describe('with the reply worker', () => {
    let harness: ReplyHarness;

    beforeAll(async () => {
      harness = await startReplyHarness();
    });

    afterAll(async () => {
      await harness.close();
    });

    it('replies again after a resume', async () => {
      const contact = uniqueContactNumber();
      const send = (text: string) =>
        storeInbound(harness.app, { tenant, from: contact, text }).then((id) => waitForReply(id));

      // Two identical messages pause the conversation. The speed check is off, so timing cannot.
      await runCli([
        'tenant',
        'loop-breaker',
        slug,
        '--repeat-count',
        '2',
        '--min-reply-seconds',
        '0',
      ]);

      expect(await send('ok')).toEqual({ reply_state: 'replied', reply_reason: null });
      expect(await send('ok')).toEqual({
        reply_state: 'withheld',
        reply_reason: 'loop_repeated_text',
      });
      // A third "ok" while paused is withheld for the pause and extends the run of identical texts.
      expect(await send('ok')).toEqual({
        reply_state: 'withheld',
        reply_reason: 'conversation_paused',
      });

      const listed = JSON.parse((await runCli(['conversation', 'paused', slug, '--json'])).stdout);

      expect(listed).toHaveLength(1);
      expect(listed[0]).toMatchObject({ phone: contact, pausedReason: 'loop_repeated_text' });

      const billedBefore = harness.blooio.billedCount;
      const resumed = await runCli(['conversation', 'resume', slug, listed[0].id]);

      expect(resumed.exitCode).toBe(0);
      // The same text again: only messages after the resume count, so one "ok" is no loop.
      expect(await send('ok')).toEqual({ reply_state: 'replied', reply_reason: null });
      expect(harness.blooio.billedCount).toBe(billedBefore + 1);
      // The loop breaker still works: a second "ok" after the resume pauses the conversation again.
      expect(await send('ok')).toEqual({
        reply_state: 'withheld',
        reply_reason: 'loop_repeated_text',
      });
      expect((await pauseOf(listed[0].id)).paused_reason).toBe('loop_repeated_text');
    });
  });
});
