import { randomUUID } from 'node:crypto';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { QueryResultRow } from 'pg';

import { SecretBox } from '../src/common/crypto/secret-box';
import { createTestApp, testEncryptionKey } from './support/create-test-app';
import { seedTenant } from './support/fixtures';
import type { SeededTenant } from './support/fixtures';
import { runCli, runCliProcess } from './support/run-cli';
import { connectAs, superuserDatabaseUrl } from './support/test-database';

async function query<T extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<T[]> {
  const client = await connectAs(superuserDatabaseUrl);

  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

interface AuditRow {
  actor: string;
  action: string;
  details: Record<string, unknown>;
}

function auditOf(tenantId: string, action: string): Promise<AuditRow[]> {
  return query<AuditRow>(
    'SELECT actor, action, details FROM audit_log WHERE tenant_id = $1 AND action = $2 ORDER BY id',
    [tenantId, action],
  );
}

async function tenantIdOf(slug: string): Promise<string> {
  const [row] = await query<{ id: string }>('SELECT id FROM tenants WHERE slug = $1', [slug]);

  return row.id;
}

const uniqueSlug = (label: string) => `${label}-${randomUUID().slice(0, 8)}`;
const box = new SecretBox(testEncryptionKey);

describe('Administration CLI', () => {
  let app: NestFastifyApplication;

  const pipelinesWith = (key: string) =>
    app.inject({
      method: 'GET',
      url: '/v1/pipelines',
      headers: { authorization: `Bearer ${key}` },
    });

  beforeAll(async () => {
    app = await createTestApp();
  });

  afterAll(async () => {
    await app.close();
  });

  describe('tenant create', () => {
    it('creates an active tenant with a default pipeline', async () => {
      const slug = uniqueSlug('acme');
      const result = await runCli([
        'tenant',
        'create',
        '--name',
        'Acme Dental',
        '--slug',
        slug,
        '--timezone',
        'America/New_York',
        '--region',
        'ca',
      ]);
      const tenantId = await tenantIdOf(slug);
      const [tenant] = await query(
        'SELECT name, status, timezone, default_region FROM tenants WHERE id = $1',
        [tenantId],
      );
      const pipelines = await query('SELECT name, is_default FROM pipelines WHERE tenant_id = $1', [
        tenantId,
      ]);

      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(
        `Created tenant ${slug} (${tenantId}) with the default pipeline Sales\n`,
      );
      expect(tenant).toEqual({
        name: 'Acme Dental',
        status: 'active',
        timezone: 'America/New_York',
        default_region: 'CA',
      });
      expect(pipelines).toEqual([{ name: 'Sales', is_default: true }]);
      expect(await auditOf(tenantId, 'tenant.created')).toEqual([
        {
          actor: 'test-operator',
          action: 'tenant.created',
          details: { name: 'Acme Dental', slug, timezone: 'America/New_York', defaultRegion: 'CA' },
        },
      ]);
    });

    it('rejects a slug in use', async () => {
      const slug = uniqueSlug('taken');

      await runCli(['tenant', 'create', '--name', 'First', '--slug', slug]);

      const result = await runCli(['tenant', 'create', '--name', 'Second', '--slug', slug]);
      const rows = await query('SELECT name FROM tenants WHERE slug = $1', [slug]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        `Error: The slug "${slug}" is already used by another tenant: choose another\n`,
      );
      expect(rows).toEqual([{ name: 'First' }]);
    });

    it.each([
      [['--slug', 'Upper_Case'], '--slug "Upper_Case" is invalid'],
      [['--slug', 'ok-slug', '--timezone', 'Mars/Base'], '--timezone "Mars/Base" is not an IANA'],
      [['--slug', 'ok-slug', '--region', 'XX'], '--region "XX" is not a supported'],
      [['--slug', 'ok-slug', '--name', ' '], '--name must be 1 to 200 characters'],
    ])('rejects %j and writes nothing', async (options, message) => {
      const before = await query('SELECT count(*)::int AS n FROM tenants');
      const result = await runCli(['tenant', 'create', '--name', 'Valid', ...options]);
      const after = await query('SELECT count(*)::int AS n FROM tenants');

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(message);
      expect(after).toEqual(before);
    });
  });

  describe('tenant list', () => {
    it('lists tenants across tenants', async () => {
      const [first, second] = await Promise.all([seedTenant(), seedTenant()]);
      const result = await runCli(['tenant', 'list', '--json']);
      const listed = JSON.parse(result.stdout) as { id: string; slug: string; status: string }[];

      expect(result.exitCode).toBe(0);
      expect(listed).toEqual(
        expect.arrayContaining([
          {
            id: first.tenantId,
            name: expect.any(String),
            slug: `t-${first.tenantId}`,
            status: 'active',
          },
          {
            id: second.tenantId,
            name: expect.any(String),
            slug: `t-${second.tenantId}`,
            status: 'active',
          },
        ]),
      );
      expect(Object.keys(listed[0]).sort()).toEqual(['id', 'name', 'slug', 'status']);
    });

    it('prints a table', async () => {
      const tenant = await seedTenant();
      const result = await runCli(['tenant', 'list']);
      const lines = result.stdout.trimEnd().split('\n');

      expect(lines[0]).toMatch(/^ID {2,}SLUG {2,}STATUS {2,}NAME$/);
      expect(lines.some((line) => line.startsWith(tenant.tenantId))).toBe(true);
    });
  });

  describe('tenant suspend and reactivate', () => {
    let tenant: SeededTenant;

    beforeAll(async () => {
      tenant = await seedTenant();
    });

    it('suspends a tenant, whose keys then get 403', async () => {
      const result = await runCli([
        'tenant',
        'suspend',
        `t-${tenant.tenantId}`,
        '--actor',
        'alice',
      ]);
      const response = await pipelinesWith(tenant.readKey);

      expect(result.stdout).toBe(`Tenant t-${tenant.tenantId} is now suspended\n`);
      expect(response.statusCode).toBe(403);
      expect(await auditOf(tenant.tenantId, 'tenant.suspended')).toEqual([
        {
          actor: 'alice',
          action: 'tenant.suspended',
          details: { slug: `t-${tenant.tenantId}`, from: 'active', to: 'suspended' },
        },
      ]);
    });

    it('leaves a suspended tenant unchanged', async () => {
      const result = await runCli(['tenant', 'suspend', tenant.tenantId]);

      expect(result.exitCode).toBe(0);
      expect(result.stdout).toBe(
        `Tenant t-${tenant.tenantId} was already suspended: nothing changed\n`,
      );
      expect(await auditOf(tenant.tenantId, 'tenant.suspended')).toHaveLength(1);
    });

    it('reactivates a tenant', async () => {
      const result = await runCli(['tenant', 'reactivate', tenant.tenantId]);
      const response = await pipelinesWith(tenant.readKey);

      expect(result.stdout).toBe(`Tenant t-${tenant.tenantId} is now active\n`);
      expect(response.statusCode).toBe(200);
      expect(await auditOf(tenant.tenantId, 'tenant.reactivated')).toHaveLength(1);
    });

    it('rejects an unknown tenant', async () => {
      const result = await runCli(['tenant', 'suspend', 'no-such-tenant']);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        'Error: No tenant has the id or slug "no-such-tenant": run "tenant list" to see them\n',
      );
    });
  });

  describe('tenant caps', () => {
    let tenant: SeededTenant;

    const capsOf = async () =>
      (
        await query(
          'SELECT daily_send_cap, conversation_reply_cap, replies_paused FROM tenants WHERE id = $1',
          [tenant.tenantId],
        )
      )[0];

    beforeAll(async () => {
      tenant = await seedTenant();
    });

    it('sets caps and pauses replies', async () => {
      const result = await runCli([
        'tenant',
        'caps',
        tenant.tenantId,
        '--daily-send-cap',
        '120',
        '--conversation-reply-cap',
        '3',
        '--pause-replies',
      ]);

      expect(result.stdout).toBe(
        `Spend caps of t-${tenant.tenantId}: daily send cap 120, conversation reply cap 3, replies paused\n`,
      );
      expect(await capsOf()).toEqual({
        daily_send_cap: 120,
        conversation_reply_cap: 3,
        replies_paused: true,
      });
      expect((await auditOf(tenant.tenantId, 'tenant.spend_caps_changed'))[0].details).toEqual({
        slug: `t-${tenant.tenantId}`,
        before: { dailySendCap: 500, conversationReplyCap: 5, repliesPaused: false },
        after: { dailySendCap: 120, conversationReplyCap: 3, repliesPaused: true },
      });
    });

    it('changes only what is given', async () => {
      await runCli(['tenant', 'caps', tenant.tenantId, '--resume-replies']);

      expect(await capsOf()).toEqual({
        daily_send_cap: 120,
        conversation_reply_cap: 3,
        replies_paused: false,
      });
    });

    it.each([
      [[], 'Nothing to change'],
      [['--daily-send-cap', '-1'], '--daily-send-cap must be an integer from 0 to 1000000'],
      [['--daily-send-cap', '2000000'], '--daily-send-cap must be an integer from 0 to 1000000'],
      [['--conversation-reply-cap', 'many'], '--conversation-reply-cap must be an integer'],
      [['--pause-replies', '--resume-replies'], 'either --pause-replies or --resume-replies'],
    ])('rejects %j', async (options, message) => {
      const result = await runCli(['tenant', 'caps', tenant.tenantId, ...options]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(message);
      expect((await capsOf()).daily_send_cap).toBe(120);
    });
  });

  describe('number add', () => {
    it('adds a number in E.164', async () => {
      const tenant = await seedTenant();
      const national = `(628) 555-${String(Date.now() % 10000).padStart(4, '0')}`;
      const e164 = `+1628555${national.slice(-4)}`;
      const result = await runCli(['number', 'add', tenant.tenantId, national]);
      const numbers = await query(
        'SELECT phone FROM sending_numbers WHERE tenant_id = $1 ORDER BY phone',
        [tenant.tenantId],
      );

      expect(result.stdout).toBe(`Added sending number ${e164} to tenant ${tenant.tenantId}\n`);
      expect(numbers).toContainEqual({ phone: e164 });
      expect((await auditOf(tenant.tenantId, 'sending_number.added'))[0].details).toEqual({
        slug: `t-${tenant.tenantId}`,
        phone: e164,
      });
    });

    it('rejects another tenant’s number', async () => {
      const [owner, other] = await Promise.all([seedTenant(), seedTenant()]);
      const result = await runCli(['number', 'add', other.tenantId, owner.receivingNumber]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('is already a sending number of a tenant');
      expect(await auditOf(other.tenantId, 'sending_number.added')).toEqual([]);
    });

    it('rejects an impossible number', async () => {
      const tenant = await seedTenant();
      const result = await runCli(['number', 'add', tenant.tenantId, '12']);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        'Error: "12" is not a possible phone number: use E.164, e.g. +14155550100\n',
      );
    });
  });

  describe('secret set and rotate', () => {
    const secretA = `whsec_${randomUUID().replaceAll('-', '')}`;
    const secretB = `whsec_${randomUUID().replaceAll('-', '')}`;
    let tenant: SeededTenant;

    const storedSecrets = async () => {
      const [row] = await query<{
        current_ciphertext: string;
        previous_ciphertext: string | null;
        previous_expires_at: Date | null;
      }>(
        'SELECT current_ciphertext, previous_ciphertext, previous_expires_at FROM webhook_secrets WHERE tenant_id = $1',
        [tenant.tenantId],
      );

      return {
        current: box.decrypt(row.current_ciphertext, tenant.tenantId),
        previous: row.previous_ciphertext
          ? box.decrypt(row.previous_ciphertext, tenant.tenantId)
          : null,
        previousExpiresAt: row.previous_expires_at,
      };
    };

    const expectNoSecretIn = async (...texts: string[]) => {
      const audit = await query<{ details: unknown }>(
        'SELECT details FROM audit_log WHERE tenant_id = $1',
        [tenant.tenantId],
      );

      for (const text of [...texts, JSON.stringify(audit)]) {
        expect(text).not.toContain(secretA);
        expect(text).not.toContain(secretB);
        expect(text).not.toContain(tenant.webhookSecret);
      }
    };

    beforeAll(async () => {
      tenant = await seedTenant();
    });

    it('sets a secret and drops the previous one', async () => {
      const result = await runCli(['secret', 'set', tenant.tenantId], { stdin: `${secretA}\n` });

      expect(result.stdout).toBe(
        `Set the webhook signing secret of t-${tenant.tenantId}. Running instances stop accepting the previous one within WEBHOOK_TENANT_CACHE_TTL_SECONDS\n`,
      );
      expect(await storedSecrets()).toEqual({
        current: secretA,
        previous: null,
        previousExpiresAt: null,
      });
      expect(await auditOf(tenant.tenantId, 'webhook_secret.set')).toHaveLength(1);
      await expectNoSecretIn(result.stdout, result.stderr);
    });

    it('rotates and keeps the previous secret for the window', async () => {
      const before = Date.now();
      const result = await runCli(
        ['secret', 'rotate', tenant.tenantId, '--keep-previous-minutes', '30'],
        { stdin: secretB },
      );
      const stored = await storedSecrets();
      const expiresAt = stored.previousExpiresAt?.getTime() ?? 0;

      expect(result.exitCode).toBe(0);
      expect(stored.current).toBe(secretB);
      expect(stored.previous).toBe(secretA);
      expect(expiresAt).toBeGreaterThanOrEqual(before + 30 * 60_000);
      expect(expiresAt).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
      expect(result.stdout).toContain(
        `the previous one is accepted until ${stored.previousExpiresAt?.toISOString()}`,
      );
      expect((await auditOf(tenant.tenantId, 'webhook_secret.rotated'))[0].details).toEqual({
        slug: `t-${tenant.tenantId}`,
        previousValidUntil: stored.previousExpiresAt?.toISOString(),
      });
      await expectNoSecretIn(result.stdout, result.stderr);
    });

    it('uses the configured window by default', async () => {
      const before = Date.now();

      await runCli(['secret', 'rotate', tenant.tenantId], { stdin: secretA });

      const stored = await storedSecrets();

      expect(stored.previous).toBe(secretB);
      expect(stored.previousExpiresAt?.getTime()).toBeGreaterThanOrEqual(before + 60 * 60_000);
    });

    it('drops the previous secret with a zero window', async () => {
      await runCli(['secret', 'rotate', tenant.tenantId, '--keep-previous-minutes', '0'], {
        stdin: secretB,
      });

      expect(await storedSecrets()).toEqual({
        current: secretB,
        previous: null,
        previousExpiresAt: null,
      });
    });

    it.each([
      ['the current secret', () => secretB, 'The new signing secret equals the current one'],
      [
        'a short secret',
        () => 'whsec_short',
        'The signing secret must be 16 to 512 printable ASCII',
      ],
      ['an empty stdin', () => '', 'The signing secret must be 16 to 512 printable ASCII'],
    ])('rejects %s', async (_, stdin, message) => {
      const result = await runCli(['secret', 'rotate', tenant.tenantId], { stdin: stdin() });

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(message);
      expect((await storedSecrets()).current).toBe(secretB);
    });

    it('rejects another encryption key', async () => {
      const otherKey = Buffer.alloc(32, 9).toString('base64');
      const before = await storedSecrets();

      for (const command of ['set', 'rotate']) {
        const result = await runCli(['secret', command, tenant.tenantId], {
          stdin: `whsec_${randomUUID().replaceAll('-', '')}`,
          env: { APP_ENCRYPTION_KEY: otherKey },
        });

        expect(result.exitCode).toBe(1);
        expect(result.stderr).toContain('does not decrypt with this APP_ENCRYPTION_KEY');
      }

      expect(await storedSecrets()).toEqual(before);
    });

    it('rejects rotating a tenant without a secret', async () => {
      const created = uniqueSlug('nosecret');

      await runCli(['tenant', 'create', '--name', 'No secret', '--slug', created]);

      const result = await runCli(['secret', 'rotate', created], { stdin: secretA });

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe(
        `Error: Tenant ${created} has no webhook signing secret to rotate: use "secret set" first\n`,
      );
    });
  });

  describe('key issue, list and revoke', () => {
    let tenant: SeededTenant;
    let issued: string;

    beforeAll(async () => {
      tenant = await seedTenant();
    });

    it('issues a key that authenticates', async () => {
      const result = await runCli(['key', 'issue', tenant.tenantId, '--name', 'dashboard']);

      issued = result.stdout.trim();

      const [stored] = await query<{ id: string; hash: string; scopes: string[] }>(
        'SELECT id, hash, scopes FROM api_keys WHERE tenant_id = $1 AND name = $2',
        [tenant.tenantId, 'dashboard'],
      );

      expect(result.exitCode).toBe(0);
      expect(issued).toMatch(/^aias_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
      expect(result.stderr).toContain(
        `Issued API key ${stored.id} (prefix ${issued.split('_')[1]}, scopes read)`,
      );
      expect(stored.hash).not.toContain(issued);
      expect(stored.scopes).toEqual(['read']);
      expect((await pipelinesWith(issued)).statusCode).toBe(200);
      expect(JSON.stringify(await auditOf(tenant.tenantId, 'api_key.issued'))).not.toContain(
        issued,
      );
      expect((await auditOf(tenant.tenantId, 'api_key.issued'))[0].details).toEqual({
        slug: `t-${tenant.tenantId}`,
        keyId: stored.id,
        prefix: issued.split('_')[1],
        name: 'dashboard',
        scopes: ['read'],
      });
    });

    it('rejects issuing under another encryption key', async () => {
      const result = await runCli(['key', 'issue', tenant.tenantId, '--name', 'wrong-key'], {
        env: { APP_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64') },
      });
      const stored = await query('SELECT id FROM api_keys WHERE tenant_id = $1 AND name = $2', [
        tenant.tenantId,
        'wrong-key',
      ]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('does not decrypt with this APP_ENCRYPTION_KEY');
      expect(stored).toEqual([]);
    });

    it('issues a key with the write scope', async () => {
      const result = await runCli([
        'key',
        'issue',
        tenant.tenantId,
        '--name',
        'crm',
        '--scopes',
        'read,write',
      ]);

      expect(result.stderr).toContain('scopes read,write');
    });

    it('rejects an unknown scope', async () => {
      const result = await runCli([
        'key',
        'issue',
        tenant.tenantId,
        '--name',
        'x',
        '--scopes',
        'admin',
      ]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('--scopes must list read and/or write');
      expect(result.stdout).toBe('');
    });

    it('lists keys without their secrets', async () => {
      const result = await runCli(['key', 'list', tenant.tenantId, '--json']);
      const keys = JSON.parse(result.stdout) as { name: string; prefix: string }[];

      expect(keys.map((key) => key.name)).toEqual(
        expect.arrayContaining(['test', 'dashboard', 'crm']),
      );
      expect(result.stdout).not.toContain(issued);
      expect(Object.keys(keys[0]).sort()).toEqual(
        ['createdAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revokedAt', 'scopes'].sort(),
      );
    });

    it('revokes a key by prefix, which then gets 401', async () => {
      const prefix = issued.split('_')[1];
      const result = await runCli(['key', 'revoke', tenant.tenantId, prefix]);

      expect(result.stdout).toMatch(
        new RegExp(`^Revoked API key ${prefix} \\([0-9a-f-]{36}\\)\\n$`),
      );
      expect((await pipelinesWith(issued)).statusCode).toBe(401);
      expect(await auditOf(tenant.tenantId, 'api_key.revoked')).toHaveLength(1);
    });

    it('leaves a revoked key unchanged', async () => {
      const result = await runCli(['key', 'revoke', tenant.tenantId, issued.split('_')[1]]);

      expect(result.stdout).toContain('was already revoked: nothing changed');
      expect(await auditOf(tenant.tenantId, 'api_key.revoked')).toHaveLength(1);
    });

    it('cannot revoke another tenant’s key', async () => {
      const other = await seedTenant();
      const [otherKey] = await query<{ id: string }>(
        'SELECT id FROM api_keys WHERE tenant_id = $1 LIMIT 1',
        [other.tenantId],
      );
      const result = await runCli(['key', 'revoke', tenant.tenantId, otherKey.id]);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain(`has no API key with the id or prefix "${otherKey.id}"`);
      expect((await pipelinesWith(other.readKey)).statusCode).toBe(200);
    });
  });

  describe('usage', () => {
    it('reports a missing required option', async () => {
      const result = await runCli(['tenant', 'create', '--name', 'x']);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toBe("error: required option '--slug <slug>' not specified\n");
    });

    it('reports an unknown subcommand', async () => {
      const result = await runCli(['tenant', 'rename']);

      expect(result.exitCode).toBe(1);
      expect(result.stderr).toContain('Unknown command "tenant rename"');
    });

    it('records the default actor', async () => {
      const slug = uniqueSlug('actor');

      await runCli(['tenant', 'create', '--name', 'Actor', '--slug', slug], {
        defaultActor: 'bob',
      });

      expect((await auditOf(await tenantIdOf(slug), 'tenant.created'))[0].actor).toBe('bob');
    });
  });

  // Each child process compiles the CLI with ts-node, which takes a few seconds.
  describe('as a child process', () => {
    const processTimeout = 60_000;

    it(
      'runs through npm run cli',
      async () => {
        const slug = uniqueSlug('process');
        const secret = `whsec_${randomUUID().replaceAll('-', '')}`;
        const created = await runCliProcess([
          'tenant',
          'create',
          '--name',
          'Process',
          '--slug',
          slug,
        ]);
        const set = await runCliProcess(['secret', 'set', slug, '--actor', 'carol'], {
          stdin: secret,
          env: { LOG_LEVEL: 'trace' },
        });
        const listed = await runCliProcess(['tenant', 'list', '--json']);

        expect(created).toMatchObject({ exitCode: 0, stderr: '' });
        expect(created.stdout).toContain(`Created tenant ${slug}`);
        expect(set.exitCode).toBe(0);
        expect(set.stdout + set.stderr).not.toContain(secret);
        expect(JSON.parse(listed.stdout)).toContainEqual(
          expect.objectContaining({ slug, status: 'active' }),
        );
      },
      processTimeout,
    );

    it(
      'exits non-zero on a usage error',
      async () => {
        const result = await runCliProcess(['tenant', 'suspend']);

        expect(result.exitCode).toBe(1);
        expect(result.stderr).toContain("error: missing required argument 'tenant'");
      },
      processTimeout,
    );

    it(
      'names DATABASE_URL when it is missing',
      async () => {
        const result = await runCliProcess(['tenant', 'list'], { env: { DATABASE_URL: '' } });

        expect(result.exitCode).toBe(1);
        expect(result.stderr).toContain('DATABASE_URL: required by the CLI');
      },
      processTimeout,
    );

    it(
      'marks required options in help',
      async () => {
        const result = await runCliProcess(['key', 'issue', '--help']);

        expect(result.exitCode).toBe(0);
        expect(result.stdout).toMatch(/--name <name>\s+what the key is for \(required\)/);
      },
      processTimeout,
    );

    it(
      'prints help without DATABASE_URL',
      async () => {
        const result = await runCliProcess(['--help'], { env: { DATABASE_URL: '' } });

        expect(result.exitCode).toBe(0);
        expect(result.stdout).toContain('Commands: tenant, number, secret, key, conversation');
      },
      processTimeout,
    );
  });
});
