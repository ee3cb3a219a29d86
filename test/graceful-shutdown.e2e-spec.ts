import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { ShutdownState } from '../src/health/shutdown-state';
import { BuiltService, buildService } from './support/built-service';
import { createTestApp } from './support/create-test-app';
import { shutdownLoadRoute } from './support/shutdown-load-route';
import type { AcceptedRequest, LoadRequest } from './support/shutdown-load-route';
import { TcpProxy, throughProxy } from './support/tcp-proxy';
import { appDatabaseUrl, testRedisUrl } from './support/test-database';

interface Outcome {
  sequence: number;
  sentAt: number;
  finishedAt: number;
  statusCode?: number;
  body?: string;
  error?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

function send(port: number, agent: Agent, load: LoadRequest, sequence: number): Promise<Outcome> {
  const sentAt = Date.now();

  return new Promise((resolve) => {
    const request = httpRequest(
      {
        host: '127.0.0.1',
        port,
        agent,
        method: load.method,
        path: load.path,
        headers: load.headers,
      },
      (response) => {
        let body = '';

        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({
            sequence,
            sentAt,
            finishedAt: Date.now(),
            statusCode: response.statusCode,
            body,
          }),
        );
      },
    );

    request.on('error', (error) =>
      resolve({ sequence, sentAt, finishedAt: Date.now(), error: error.message }),
    );
    request.end(load.body);
  });
}

function readiness(port: number, agent: Agent, sequence = 0): Promise<Outcome> {
  return send(port, agent, { method: 'GET', path: '/health/ready', headers: {} }, sequence);
}

/** Resolves with the error code of a fresh TCP connection attempt, or 'connected'. */
function tryConnect(port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');

    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}

describe('Graceful shutdown', () => {
  describe('draining flag', () => {
    let app: NestFastifyApplication;

    beforeAll(async () => {
      app = await createTestApp();
    });

    afterAll(async () => {
      await app.close();
    });

    it('keeps connections open before draining', async () => {
      const response = await app.inject({ method: 'GET', url: '/health/live' });

      expect(response.headers.connection).not.toBe('close');
    });

    it('closes connections and fails readiness while draining', async () => {
      app.get(ShutdownState).startDraining();

      const live = await app.inject({ method: 'GET', url: '/health/live' });
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });

      expect(live.statusCode).toBe(200);
      expect(live.headers.connection).toBe('close');
      expect(ready.statusCode).toBe(503);
      expect(ready.json().status).toBe('shutting_down');
      expect(ready.headers.connection).toBe('close');
    });
  });

  describe('built service under SIGTERM', () => {
    const commit = 'shutdown-test';
    const drainDelayMs = 1000;
    const unrouteDelayMs = 400;
    // Database replies that arrive in a short window are held back this long, which makes the
    // readiness requests sent in that window slow. The webhook load is delayed at most once.
    const databaseDelayMs = 3000;
    const postgresProxy = new TcpProxy(Number(new URL(appDatabaseUrl).port || 5432));
    const redisProxy = new TcpProxy(Number(new URL(testRedisUrl).port || 6379));
    const terminatedConnections = new Set<number>();
    const postgresConnections = new Set<number>();
    let redisQuitSeen = false;
    let service: BuiltService | undefined;

    beforeAll(async () => {
      buildService();
      postgresProxy.onClientData = (connectionId, chunk) => {
        postgresConnections.add(connectionId);

        // The PostgreSQL Terminate message: 'X' and the length 4.
        if (chunk.subarray(-5).equals(Buffer.from([0x58, 0, 0, 0, 4]))) {
          terminatedConnections.add(connectionId);
        }
      };

      redisProxy.onClientData = (_connectionId, chunk) => {
        redisQuitSeen ||= /\r\nquit\r\n/i.test(chunk.toString('latin1'));
      };

      const postgresPort = await postgresProxy.start();
      const redisPort = await redisProxy.start();

      service = await BuiltService.start({
        DATABASE_URL: throughProxy(appDatabaseUrl, postgresPort),
        DATABASE_POOL_SIZE: '16',
        REDIS_URL: throughProxy(testRedisUrl, redisPort),
        GIT_COMMIT: commit,
        SHUTDOWN_DRAIN_DELAY_MS: String(drainDelayMs),
        SHUTDOWN_TIMEOUT_MS: '30000',
        HEALTH_CHECK_TIMEOUT_MS: '8000',
        // The load comes from one address; the per-IP limits must not turn it into 429s.
        RATE_LIMIT_IP_BURST_LIMIT: '1000000',
        RATE_LIMIT_IP_SUSTAINED_LIMIT: '1000000',
        RATE_LIMIT_TENANT_LIMIT: '1000000',
      });
    });

    afterAll(async () => {
      await service?.stop();
      await postgresProxy.cut();
      await redisProxy.cut();
    });

    it('drains a steady load and slow requests with no failure', async () => {
      const port = service!.port;
      const route = shutdownLoadRoute();
      const loadAgent = new Agent({ keepAlive: true, maxSockets: 6 });
      const slowAgent = new Agent({ keepAlive: true });
      const probeAgent = new Agent({ keepAlive: false });
      const outcomes: Outcome[] = [];
      const probes: Outcome[] = [];
      let isRouted = true;
      let sequence = 0;

      await route.prepare();

      // Open three pooled connections now, so the slow requests below need one round trip each.
      await Promise.all([1, 2, 3].map(() => readiness(port, slowAgent)));

      // Six workers simulate the proxy's traffic. The poller simulates its health check and
      // stops routing here soon after the first 503, as the proxy would.
      let isPaused = false;
      let inFlight = 0;
      const workers = Array.from({ length: 6 }, async () => {
        while (isRouted) {
          if (isPaused) {
            await sleep(5);
            continue;
          }

          sequence += 1;
          inFlight += 1;
          outcomes.push(await send(port, loadAgent, route.request(sequence), sequence));
          inFlight -= 1;
          await sleep(5);
        }
      });
      // Like a proxy that needs a few failed checks, routing stops a while after the first 503,
      // well inside the drain delay, so some load arrives during the drain on a busy machine too.
      let isUnrouting = false;
      const poller = (async () => {
        while (isRouted) {
          void readiness(port, probeAgent).then((probe) => {
            probes.push(probe);

            if (probe.statusCode === 503 && !isUnrouting) {
              isUnrouting = true;
              setTimeout(() => (isRouted = false), unrouteDelayMs);
            }
          });
          await sleep(100);
        }
      })();

      await sleep(2000);

      // The load pauses while the database is slowed, so only the readiness requests become slow
      // and the webhooks keep flowing when SIGTERM arrives.
      isPaused = true;

      while (inFlight > 0) {
        await sleep(5);
      }

      postgresProxy.responseDelayMs = databaseDelayMs;

      const slowRequests = [1, 2, 3].map(() => readiness(port, slowAgent));

      await sleep(100);
      postgresProxy.responseDelayMs = 0;
      isPaused = false;
      await sleep(200);

      const sigtermAt = service!.signal('SIGTERM');

      // A request already read from its socket when the signal arrives can still pass the check, so
      // the first readiness request goes out a moment after the signal.
      await sleep(50);

      const firstReadiness = await readiness(port, probeAgent);

      // The server stops accepting when the drain delay ends; the margin covers a busy machine.
      await sleep(drainDelayMs + 400);

      const connectAfterDrain = await tryConnect(port);
      const connectCheckedAt = Date.now();
      const slow = await Promise.all(slowRequests);

      await Promise.all([...workers, poller]);

      // The agents keep their idle sockets open, as a proxy's pool does, until the service exits.
      const exit = await service!.exited;

      for (const agent of [loadAgent, slowAgent, probeAgent]) {
        agent.destroy();
      }

      const failures = outcomes.filter(
        (outcome) => outcome.statusCode === undefined || !route.isAccepted(outcome.statusCode),
      );
      const accepted: AcceptedRequest[] = outcomes.map((outcome) => ({
        sequence: outcome.sequence,
        statusCode: outcome.statusCode!,
        body: outcome.body!,
      }));
      const sentDuringDrain = outcomes.filter((outcome) => outcome.sentAt > sigtermAt);

      expect(failures).toEqual([]);
      expect(outcomes.length).toBeGreaterThan(20);
      expect(sentDuringDrain.length).toBeGreaterThan(0);
      expect(await route.countEffects(accepted)).toBe(accepted.length);

      expect(firstReadiness.statusCode).toBe(503);
      expect(JSON.parse(firstReadiness.body!).status).toBe('shutting_down');
      expect(
        probes.filter((probe) => probe.sentAt > sigtermAt + 50 && probe.statusCode === 200),
      ).toEqual([]);

      expect(connectAfterDrain).toBe('ECONNREFUSED');
      for (const request of slow) {
        expect(request.error).toBeUndefined();
        expect(request.statusCode).toBe(200);
        expect(JSON.parse(request.body!).checks.database.status).toBe('up');
        expect(request.finishedAt).toBeGreaterThan(connectCheckedAt);
      }

      expect(exit.code).toBe(0);
      expect(exit.at - sigtermAt).toBeLessThan(15000);
      expect(service!.messages()).toEqual(
        expect.arrayContaining([
          'Shutdown started: readiness is now 503',
          'Stopped accepting connections; waiting for in-flight requests',
          'In-flight requests finished; closing connections',
          'Shutdown complete',
        ]),
      );
      expect(postgresConnections.size).toBeGreaterThan(0);
      expect([...postgresConnections].filter((id) => !terminatedConnections.has(id))).toEqual([]);
      expect(redisQuitSeen).toBe(true);
    });
  });

  describe('built service past its timeout', () => {
    const postgresProxy = new TcpProxy(Number(new URL(appDatabaseUrl).port || 5432));
    let service: BuiltService | undefined;

    beforeAll(async () => {
      const postgresPort = await postgresProxy.start();

      service = await BuiltService.start({
        DATABASE_URL: throughProxy(appDatabaseUrl, postgresPort),
        REDIS_URL: testRedisUrl,
        SHUTDOWN_DRAIN_DELAY_MS: '0',
        SHUTDOWN_TIMEOUT_MS: '1500',
        HEALTH_CHECK_TIMEOUT_MS: '10000',
      });
    });

    afterAll(async () => {
      await service?.stop();
      await postgresProxy.cut();
    });

    it('exits with status 1 when a request outlasts the timeout', async () => {
      const agent = new Agent({ keepAlive: true });

      await readiness(service!.port, agent);
      postgresProxy.responseDelayMs = 8000;

      const stuck = readiness(service!.port, agent);

      await sleep(300);

      const sigtermAt = service!.signal('SIGTERM');
      const exit = await service!.exited;

      postgresProxy.responseDelayMs = 0;
      agent.destroy();

      expect(exit.code).toBe(1);
      expect(exit.at - sigtermAt).toBeGreaterThanOrEqual(1500);
      expect(exit.at - sigtermAt).toBeLessThan(6000);
      expect(service!.messages()).toContain('Shutdown timed out; exiting with work still running');
      expect(service!.messages()).not.toContain('Shutdown complete');
      expect((await stuck).error).toBeDefined();
    });
  });
});
