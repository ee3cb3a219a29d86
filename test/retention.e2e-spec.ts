import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Client } from 'pg';

import { querySuperuser } from './support/audit-entries';
import { inboundPayload, nowSeconds, postSigned } from './support/blooio';
import { createTestApp } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { LogCapture } from './support/log-capture';
import { appDatabaseUrl, connectAs, superuserDatabaseUrl } from './support/test-database';

const day = 24 * 60 * 60 * 1000;

function daysAgo(days: number): Date {
  return new Date(Date.now() - days * day);
}

async function insertInboxRow(tenantId: string, ageDays: number): Promise<string> {
  const id = randomUUID();

  await querySuperuser(
    `INSERT INTO webhook_events (id, tenant_id, source, dedup_key, received_at)
     VALUES ($1, $2, 'blooio', $3, $4)`,
    [id, tenantId, `msg_${id}:message.received`, daysAgo(ageDays)],
  );

  return id;
}

async function insertAuditRow(tenantId: string, ageDays: number): Promise<string> {
  const [row] = await querySuperuser<{ id: string }>(
    `INSERT INTO audit_log (tenant_id, actor, action, created_at)
     VALUES ($1, 'test-operator', 'tenant.created', $2) RETURNING id::text`,
    [tenantId, daysAgo(ageDays)],
  );

  return row.id;
}

async function remainingIds(table: 'webhook_events' | 'audit_log', ids: string[]) {
  const rows = await querySuperuser<{ id: string }>(
    `SELECT id::text FROM ${table} WHERE id::text = ANY($1::text[])`,
    [ids],
  );

  return rows.map((row) => row.id).sort();
}

/** Runs `work` as the superuser in a transaction that is always rolled back. */
async function inRolledBackTransaction<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectAs(superuserDatabaseUrl);

  try {
    await client.query('BEGIN');

    return await work(client);
  } finally {
    await client.query('ROLLBACK');
    await client.end();
  }
}

/** Runs one statement as the application role, the way the prune job calls the functions. */
async function asApp<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = await connectAs(appDatabaseUrl);

  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function prune(
  table: 'webhook_events' | 'audit_log',
  retentionDays: number,
  batchSize: number,
): Promise<number> {
  const fn = table === 'webhook_events' ? 'prune_webhook_events' : 'prune_audit_log';

  return asApp(async (client) => {
    const { rows } = await client.query<{ deleted: number }>(
      `SELECT retention.${fn}($1, $2) AS deleted`,
      [retentionDays, batchSize],
    );

    return rows[0].deleted;
  });
}

/** Deletes every expired row another test may have left, so counts below are exact. */
async function pruneEverythingExpired(): Promise<void> {
  while ((await prune('webhook_events', 1, 10000)) > 0);
  while ((await prune('audit_log', 30, 10000)) > 0);
}

async function waitFor(condition: () => Promise<boolean>, what: string, timeoutMs = 30000) {
  const deadline = Date.now() + timeoutMs;

  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    }

    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Retention', () => {
  let first: SeededTenant;
  let second: SeededTenant;

  beforeAll(async () => {
    [first, second] = await Promise.all([seedTenant(), seedTenant()]);
  });

  beforeEach(async () => {
    await pruneEverythingExpired();
  });

  describe('prune functions', () => {
    it('prune expired inbox rows of every tenant', async () => {
      const kept = [
        await insertInboxRow(first.tenantId, 0.5),
        await insertInboxRow(first.tenantId, 29),
        await insertInboxRow(second.tenantId, 29),
      ];
      const expired = [
        await insertInboxRow(first.tenantId, 31),
        await insertInboxRow(second.tenantId, 31),
        await insertInboxRow(second.tenantId, 400),
      ];

      expect(await prune('webhook_events', 30, 1000)).toBe(3);
      expect(await remainingIds('webhook_events', [...kept, ...expired])).toEqual(kept.sort());
    });

    it('delete one batch per call, oldest first', async () => {
      const ids = [40, 35, 50, 45, 60].map((age) => ({ age, id: '' }));

      for (const row of ids) {
        row.id = await insertInboxRow(first.tenantId, row.age);
      }

      const oldestFirst = [...ids].sort((a, b) => b.age - a.age).map((row) => row.id);

      expect(await prune('webhook_events', 30, 2)).toBe(2);
      expect(await remainingIds('webhook_events', oldestFirst)).toEqual(
        oldestFirst.slice(2).sort(),
      );
      expect(await prune('webhook_events', 30, 2)).toBe(2);
      expect(await prune('webhook_events', 30, 2)).toBe(1);
      expect(await prune('webhook_events', 30, 2)).toBe(0);
    });

    it('prune expired audit entries', async () => {
      const kept = [
        await insertAuditRow(first.tenantId, 10),
        await insertAuditRow(second.tenantId, 364),
      ];
      const expired = [
        await insertAuditRow(first.tenantId, 366),
        await insertAuditRow(second.tenantId, 800),
      ];

      expect(await prune('audit_log', 365, 1000)).toBe(2);
      expect(await remainingIds('audit_log', [...kept, ...expired])).toEqual(kept.sort());
    });

    it.each([
      ['webhook_events', 0, 10, 'retention_days must be at least 1, got 0'],
      ['audit_log', 29, 10, 'retention_days must be at least 30, got 29'],
      ['webhook_events', 30, 0, 'batch_size must be from 1 to 10000, got 0'],
      ['audit_log', 365, 10001, 'batch_size must be from 1 to 10000, got 10001'],
    ] as const)('reject %s retention %i, batch %i', async (table, days, batch, message) => {
      const row =
        table === 'webhook_events'
          ? await insertInboxRow(first.tenantId, 500)
          : await insertAuditRow(first.tenantId, 500);

      await expect(prune(table, days, batch)).rejects.toThrow(message);
      expect(await remainingIds(table, [row])).toEqual([row]);
    });

    it('keep rows younger than the floor', async () => {
      const inbox = await insertInboxRow(first.tenantId, 0.9);
      const audit = await insertAuditRow(first.tenantId, 29);

      // As the functions' owner itself, past their argument checks: the policies still hide them.
      const deleted = await inRolledBackTransaction(async (client) => {
        await client.query('SET LOCAL ROLE aias_retention');

        const inboxDeleted = await client.query('DELETE FROM webhook_events WHERE id = $1', [
          inbox,
        ]);
        const auditDeleted = await client.query('DELETE FROM audit_log WHERE id = $1', [audit]);

        return [inboxDeleted.rowCount, auditDeleted.rowCount];
      });

      expect(deleted).toEqual([0, 0]);
    });
  });

  describe('audit_log outside the prune', () => {
    it('stays append-only for the application role', async () => {
      const row = await insertAuditRow(first.tenantId, 400);

      await expect(
        asApp((client) => client.query('DELETE FROM audit_log WHERE id = $1', [row])),
      ).rejects.toThrow('permission denied for table audit_log');
      expect(await remainingIds('audit_log', [row])).toEqual([row]);
    });

    it.each([
      ['DELETE FROM audit_log WHERE id = $1', 'DELETE'],
      [`UPDATE audit_log SET actor = 'someone' WHERE id = $1`, 'UPDATE'],
    ])('rejects %s by the superuser', async (statement, operation) => {
      const row = await insertAuditRow(first.tenantId, 400);

      await expect(querySuperuser(statement, [row])).rejects.toThrow(
        `audit_log is append-only: ${operation} is not allowed`,
      );
      expect(await remainingIds('audit_log', [row])).toEqual([row]);
    });

    it('rejects TRUNCATE by the superuser', async () => {
      await expect(
        inRolledBackTransaction((client) => client.query('TRUNCATE audit_log')),
      ).rejects.toThrow('audit_log is append-only: TRUNCATE is not allowed');
    });
  });

  describe('scheduled job', () => {
    let app: NestFastifyApplication;
    const logs = new LogCapture();

    beforeAll(async () => {
      app = await createTestApp({
        env: {
          RETENTION_PRUNE_ENABLED: 'true',
          RETENTION_PRUNE_BATCH_SIZE: '2',
          WEBHOOK_EVENTS_RETENTION_DAYS: '30',
          AUDIT_LOG_RETENTION_DAYS: '90',
          LOG_LEVEL: 'info',
        },
        logDestination: logs,
      });
    });

    afterAll(async () => {
      await app.close();
    });

    it('registers the hourly schedule', async () => {
      const known = () =>
        querySuperuser(
          `SELECT 1 FROM graphile_worker._private_known_crontabs WHERE identifier = 'prune_expired_rows'`,
        );

      await waitFor(async () => (await known()).length === 1, 'the crontab row');

      expect(logs.lines).toContainEqual(
        expect.objectContaining({
          msg: 'Retention prune scheduled',
          schedule: '17 * * * *',
          webhookEventsDays: 30,
          auditLogDays: 90,
          batchSize: 2,
        }),
      );
    });

    it('prunes both tables in batches', async () => {
      const expiredInbox = await Promise.all(
        [31, 32, 33, 34, 35].map((age) => insertInboxRow(second.tenantId, age)),
      );
      const keptInbox = await insertInboxRow(second.tenantId, 29);
      const expiredAudit = await Promise.all(
        [91, 120, 365].map((age) => insertAuditRow(second.tenantId, age)),
      );
      const keptAudit = await insertAuditRow(second.tenantId, 89);

      await querySuperuser(
        `SELECT graphile_worker.add_job('prune_expired_rows', '{}'::json,
           queue_name => 'retention', job_key => 'prune_expired_rows')`,
      );
      await waitFor(
        async () =>
          (
            await querySuperuser(
              `SELECT 1 FROM graphile_worker._private_jobs WHERE key = 'prune_expired_rows'`,
            )
          ).length === 0,
        'the prune job to finish',
      );

      const outcomes = logs.lines.filter((line) => line.msg === 'Pruned expired rows');

      expect(await remainingIds('webhook_events', [...expiredInbox, keptInbox])).toEqual([
        keptInbox,
      ]);
      expect(await remainingIds('audit_log', [...expiredAudit, keptAudit])).toEqual([keptAudit]);
      expect(outcomes).toEqual([
        expect.objectContaining({
          table: 'webhook_events',
          retentionDays: 30,
          deleted: 5,
          batches: 3,
          isComplete: true,
        }),
        expect.objectContaining({
          table: 'audit_log',
          retentionDays: 90,
          deleted: 3,
          batches: 2,
          isComplete: true,
        }),
      ]);
    });
  });

  describe('replays after a prune', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp();
    });

    afterAll(async () => {
      await app.close();
    });

    async function expireInboxRow(tenantId: string, dedupKey: string): Promise<void> {
      const updated = await querySuperuser(
        `UPDATE webhook_events SET received_at = $3
         WHERE tenant_id = $1 AND dedup_key = $2 RETURNING id`,
        [tenantId, dedupKey, daysAgo(31)],
      );

      expect(updated).toHaveLength(1);
      expect(await prune('webhook_events', 30, 1000)).toBe(1);
    }

    it('keeps a redelivered Blooio message a duplicate', async () => {
      const payload = inboundPayload(first.receivingNumber, { message_id: `msg_${randomUUID()}` });
      const stored = await postSigned(app, first.webhookSecret, payload);

      await expireInboxRow(first.tenantId, `${String(payload.message_id)}:message.received`);

      const redelivered = await postSigned(app, first.webhookSecret, payload);
      const messages = await querySuperuser(
        'SELECT 1 FROM messages WHERE tenant_id = $1 AND provider_message_id = $2',
        [first.tenantId, payload.message_id],
      );
      const inbox = await querySuperuser(
        'SELECT 1 FROM webhook_events WHERE tenant_id = $1 AND dedup_key LIKE $2',
        [first.tenantId, `${String(payload.message_id)}:%`],
      );

      expect(stored.json()).toEqual({ status: 'stored' });
      expect(redelivered.json()).toEqual({ status: 'duplicate' });
      expect(messages).toHaveLength(1);
      expect(inbox).toEqual([]);
    });

    it('rejects the captured original request', async () => {
      const payload = inboundPayload(first.receivingNumber);
      const signedAt = nowSeconds() - 31 * 24 * 60 * 60;
      const response = await postSigned(app, first.webhookSecret, payload, {
        timestamp: signedAt,
      });

      expect(response.statusCode).toBe(401);
    });

    it('forgets a lead-intake key after the retention', async () => {
      const key = `lead-${randomUUID()}`;
      const body = { name: 'Retention Lead', phone: '+14155550177', source: 'web' };
      const post = () =>
        app.inject({
          method: 'POST',
          url: '/webhooks/lead-intake',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${second.apiKey}`,
            'idempotency-key': key,
          },
          payload: JSON.stringify(body),
        });
      const created = await post();
      const replayed = await post();

      await expireInboxRow(second.tenantId, `key:${key}`);

      const afterPrune = await post();

      expect(created.statusCode).toBe(201);
      expect(replayed.statusCode).toBe(200);
      expect(replayed.headers['idempotent-replayed']).toBe('true');
      expect(afterPrune.statusCode).toBe(201);
      expect(afterPrune.headers['idempotent-replayed']).toBeUndefined();
      expect(afterPrune.json()).toMatchObject({
        contactId: created.json().contactId,
        opportunityId: created.json().opportunityId,
        contactCreated: false,
        opportunityCreated: false,
      });
    });
  });
});
