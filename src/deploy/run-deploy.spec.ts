import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FakeCoolify, FakeService, FakeTelegram } from '../../test/support/fake-deploy-servers';
import type { TagBehaviour } from '../../test/support/fake-deploy-servers';
import type { DeployLog } from './release-types';
import { runDeploy, usageExitCode } from './run-deploy';

const previousTag = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0';
const newTag = 'b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0e1';
const applicationUuid = 'app-uuid-1';

class CapturedLog implements DeployLog {
  readonly lines: string[] = [];

  info(message: string): void {
    this.lines.push(`INFO ${message}`);
  }

  error(message: string): void {
    this.lines.push(`ERROR ${message}`);
  }

  errors(): string {
    return this.lines.filter((line) => line.startsWith('ERROR')).join('\n');
  }
}

interface Harness {
  coolify: FakeCoolify;
  service: FakeService;
  telegram: FakeTelegram;
  log: CapturedLog;
  env: NodeJS.ProcessEnv;
  deploy(env?: NodeJS.ProcessEnv): Promise<number>;
}

const harnesses: Harness[] = [];

async function startHarness(newRelease: TagBehaviour): Promise<Harness> {
  const service = new FakeService(previousTag, {
    [previousTag]: { ready: true, commit: previousTag },
    [newTag]: newRelease,
  });
  const coolify = new FakeCoolify(applicationUuid, previousTag, service);
  const telegram = new FakeTelegram();

  await Promise.all([service.start(), coolify.start(), telegram.start()]);

  const log = new CapturedLog();
  const env: NodeJS.ProcessEnv = {
    COOLIFY_API_URL: coolify.url,
    COOLIFY_API_TOKEN: FakeCoolify.token,
    COOLIFY_APP_UUID: applicationUuid,
    DEPLOY_HEALTH_URL: service.healthUrl,
    DEPLOY_TIMEOUT_MS: '600',
    DEPLOY_ROLLBACK_TIMEOUT_MS: '2000',
    DEPLOY_POLL_INTERVAL_MS: '20',
    DEPLOY_REQUEST_TIMEOUT_MS: '1000',
    TELEGRAM_API_URL: telegram.url,
    TELEGRAM_BOT_TOKEN: FakeTelegram.botToken,
    TELEGRAM_CHAT_ID: '-100123',
  };
  const harness: Harness = {
    coolify,
    service,
    telegram,
    log,
    env,
    deploy: (overrides = {}) => runDeploy(['--tag', newTag], { ...env, ...overrides }, log),
  };

  harnesses.push(harness);

  return harness;
}

function patchedTags(coolify: FakeCoolify): string[] {
  return coolify.requests
    .filter((request) => request.method === 'PATCH')
    .map(
      (request) =>
        (request.body as { docker_registry_image_tag: string }).docker_registry_image_tag,
    );
}

async function closedPort(): Promise<number> {
  const server = createServer();

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  const { port } = server.address() as AddressInfo;

  await new Promise<void>((resolve) => server.close(() => resolve()));

  return port;
}

afterEach(async () => {
  for (const harness of harnesses.splice(0)) {
    await Promise.all([harness.service.close(), harness.coolify.close(), harness.telegram.close()]);
  }
});

describe('runDeploy', () => {
  describe('release', () => {
    it('releases a healthy tag without rollback', async () => {
      const { coolify, service, telegram, log, deploy } = await startHarness({
        ready: true,
        commit: newTag,
      });

      expect(await deploy()).toBe(0);
      expect(coolify.tag).toBe(newTag);
      expect(coolify.deployedTags()).toEqual([newTag]);
      expect(patchedTags(coolify)).toEqual([newTag]);
      expect(service.runningTag).toBe(newTag);
      expect(telegram.messages).toEqual([]);
      expect(log.lines.at(-1)).toBe(
        `INFO Released ${newTag}: /health/ready reports commit ${newTag}`,
      );
    });

    it('accepts a short commit for a full one', async () => {
      const { deploy } = await startHarness({ ready: true, commit: newTag.slice(0, 7) });

      expect(await deploy()).toBe(0);
    });

    it('rolls back a release that never turns ready', async () => {
      const { coolify, service, telegram, log, deploy } = await startHarness({
        ready: false,
        commit: newTag,
      });

      expect(await deploy()).toBe(1);
      expect(coolify.deployedTags()).toEqual([newTag, previousTag]);
      expect(coolify.tag).toBe(previousTag);
      expect(service.runningTag).toBe(previousTag);
      expect(log.errors()).toContain('/health/ready did not turn ready within 1 s: HTTP 503');
      expect(telegram.messages).toHaveLength(1);
      expect(telegram.messages[0].chatId).toBe('-100123');
      expect(telegram.messages[0].text).toContain(
        `Release ${newTag} failed and was rolled back to ${previousTag}, which is healthy again`,
      );
    });

    it('rolls back a release reporting the wrong commit', async () => {
      const { coolify, service, telegram, log, deploy } = await startHarness({
        ready: true,
        commit: 'c0ffee0',
      });

      expect(await deploy()).toBe(1);
      expect(coolify.deployedTags()).toEqual([newTag, previousTag]);
      expect(coolify.tag).toBe(previousTag);
      expect(service.runningTag).toBe(previousTag);
      expect(log.errors()).toContain(
        `/health/ready still reports commit c0ffee0 instead of commit ${newTag}`,
      );
      expect(telegram.messages[0].text).toContain(`rolled back to ${previousTag}`);
    });

    it('rolls back a deployment Coolify marks failed', async () => {
      const { coolify, telegram, deploy } = await startHarness({ ready: true, commit: newTag });

      coolify.failingTags.add(newTag);

      expect(await deploy()).toBe(1);
      expect(coolify.deployedTags()).toEqual([newTag, previousTag]);
      expect(coolify.tag).toBe(previousTag);
      expect(telegram.messages[0].text).toContain(
        'Coolify reports deployment deployment-1 as failed',
      );
    });

    it('says so loudly when the rollback fails', async () => {
      const { coolify, telegram, log, deploy } = await startHarness({
        ready: false,
        commit: newTag,
      });

      coolify.failingTags.add(previousTag);

      expect(await deploy()).toBe(2);
      expect(coolify.deployedTags()).toEqual([newTag, previousTag]);
      expect(log.errors()).toContain('PRODUCTION NEEDS ATTENTION. ROLLBACK FAILED');
      expect(log.errors()).toContain('Coolify reports deployment deployment-2 as failed');
      expect(telegram.messages[0].text).toContain('ROLLBACK FAILED');
    });

    it('keeps the exit status when the alert fails', async () => {
      const { telegram, log, deploy } = await startHarness({ ready: false, commit: newTag });

      telegram.failWith = 500;

      expect(await deploy()).toBe(1);
      expect(log.errors()).toContain(
        'Sending the alert failed: Telegram sendMessage failed with HTTP 500',
      );
    });
  });

  describe('migration step', () => {
    let directory: string;

    beforeEach(() => {
      directory = mkdtempSync(join(tmpdir(), 'aias-deploy-'));
    });

    afterEach(() => {
      rmSync(directory, { recursive: true, force: true });
    });

    it('runs the migration before the tag changes', async () => {
      const marker = join(directory, 'tag-during-migration');
      const { coolify, deploy } = await startHarness({ ready: true, commit: newTag });
      const readTag = [
        `fetch('${coolify.url}/api/v1/applications/${applicationUuid}',`,
        `{ headers: { authorization: 'Bearer ${FakeCoolify.token}' } })`,
        '.then((response) => response.json())',
        `.then((body) => require('fs').writeFileSync('${marker}', body.docker_registry_image_tag))`,
      ].join('');

      expect(await deploy({ DEPLOY_MIGRATE_COMMAND: `node -e "${readTag}"` })).toBe(0);
      expect(readFileSync(marker, 'utf8')).toBe(previousTag);
      expect(coolify.tag).toBe(newTag);
    });

    it('changes nothing when the migration fails', async () => {
      const { coolify, telegram, log, deploy } = await startHarness({
        ready: true,
        commit: newTag,
      });

      expect(await deploy({ DEPLOY_MIGRATE_COMMAND: 'exit 3' })).toBe(1);
      expect(patchedTags(coolify)).toEqual([]);
      expect(coolify.deployedTags()).toEqual([]);
      expect(log.errors()).toContain(
        'the migration command failed with exit code 3; the image tag was not changed',
      );
      expect(telegram.messages[0].text).toContain(`Release ${newTag} was not deployed`);
    });
  });

  describe('Coolify API errors', () => {
    it('names the token on HTTP 401', async () => {
      const { coolify, log, deploy } = await startHarness({ ready: true, commit: newTag });

      expect(await deploy({ COOLIFY_API_TOKEN: 'wrong-token' })).toBe(1);
      expect(patchedTags(coolify)).toEqual([]);
      expect(log.errors()).toContain(
        `GET /applications/${applicationUuid} failed with HTTP 401 (check COOLIFY_API_TOKEN and its permissions)`,
      );
      expect(log.errors()).not.toContain('wrong-token');
    });

    it('names the uuid on HTTP 404', async () => {
      const { log, deploy } = await startHarness({ ready: true, commit: newTag });

      expect(await deploy({ COOLIFY_APP_UUID: 'no-such-app' })).toBe(1);
      expect(log.errors()).toContain('failed with HTTP 404 (check COOLIFY_APP_UUID)');
    });

    it('reports an unreachable Coolify', async () => {
      const { telegram, log, deploy } = await startHarness({ ready: true, commit: newTag });
      const port = await closedPort();

      expect(await deploy({ COOLIFY_API_URL: `http://127.0.0.1:${port}` })).toBe(1);
      expect(log.errors()).toContain(`GET /applications/${applicationUuid} failed: ECONNREFUSED`);
      expect(telegram.messages).toHaveLength(1);
    });

    it('deploys nothing when setting the tag fails', async () => {
      const { coolify, service, log, deploy } = await startHarness({ ready: true, commit: newTag });

      coolify.failures.push({ method: 'PATCH', path: /\/applications\//, status: 422, times: 1 });

      expect(await deploy()).toBe(1);
      expect(coolify.deployedTags()).toEqual([]);
      expect(coolify.tag).toBe(previousTag);
      expect(service.runningTag).toBe(previousTag);
      expect(log.errors()).toContain(
        `setting the image tag to ${newTag} failed: PATCH /applications/${applicationUuid} failed with HTTP 422`,
      );
      expect(log.errors()).toContain(`nothing was deployed and the tag is back at ${previousTag}`);
    });

    it('restores the tag when queueing fails', async () => {
      const { coolify, log, deploy } = await startHarness({ ready: true, commit: newTag });

      coolify.failures.push({ method: 'GET', path: /^\/api\/v1\/deploy$/, status: 500, times: 1 });

      expect(await deploy()).toBe(1);
      expect(coolify.deployedTags()).toEqual([]);
      expect(patchedTags(coolify)).toEqual([newTag, previousTag]);
      expect(coolify.tag).toBe(previousTag);
      expect(log.errors()).toContain(
        `queueing the deployment of ${newTag} failed: GET /deploy failed with HTTP 500`,
      );
    });

    it('needs attention when the tag cannot be restored', async () => {
      const { coolify, telegram, log, deploy } = await startHarness({
        ready: true,
        commit: newTag,
      });

      coolify.failures.push({ method: 'GET', path: /^\/api\/v1\/deploy$/, status: 500, times: 1 });
      // The first PATCH (the new tag) passes; the one that restores the previous tag fails.
      coolify.failures.push({ method: 'PATCH', path: /./, status: 503, times: 1, skip: 1 });

      expect(await deploy()).toBe(2);
      expect(coolify.deployedTags()).toEqual([]);
      expect(log.errors()).toContain('PRODUCTION NEEDS ATTENTION');
      expect(log.errors()).toContain(`set ${previousTag} in Coolify by hand`);
      expect(telegram.messages[0].text).toContain('PRODUCTION NEEDS ATTENTION');
    });
  });

  describe('options', () => {
    it('names every missing variable', async () => {
      const log = new CapturedLog();

      expect(await runDeploy(['--tag', newTag], {}, log)).toBe(usageExitCode);
      expect(log.errors()).toContain('COOLIFY_API_URL');
      expect(log.errors()).toContain('COOLIFY_API_TOKEN');
      expect(log.errors()).toContain('COOLIFY_APP_UUID');
      expect(log.errors()).toContain('DEPLOY_HEALTH_URL');
    });

    it('rejects a missing tag', async () => {
      const log = new CapturedLog();

      expect(await runDeploy([], {}, log)).toBe(usageExitCode);
      expect(log.errors()).toContain('--tag is missing');
    });

    it('rejects half a Telegram setup', async () => {
      const { env } = await startHarness({ ready: true, commit: newTag });
      const log = new CapturedLog();

      expect(await runDeploy(['--tag', newTag], { ...env, TELEGRAM_CHAT_ID: '' }, log)).toBe(
        usageExitCode,
      );
      expect(log.errors()).toContain(
        'TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID must be set together',
      );
    });
  });
});
