import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

const projectRoot = join(__dirname, '..');
const dockerfile = readFileSync(join(projectRoot, 'docker/Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(projectRoot, '.dockerignore'), 'utf8');

function runHealthcheck(
  port: number,
  path: string,
): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(projectRoot, 'docker/healthcheck.cjs'), path],
      { env: { PORT: String(port) } },
      (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }),
    );
  });
}

describe('Docker files', () => {
  describe('healthcheck.cjs', () => {
    let server: Server;
    let port: number;

    beforeAll(async () => {
      server = createServer((request, response) => {
        if (request.url === '/hang') {
          return;
        }

        response.writeHead(request.url === '/health/live' ? 200 : 503).end('{}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as AddressInfo).port;
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('exits 0 on HTTP 200', async () => {
      expect((await runHealthcheck(port, '/health/live')).code).toBe(0);
    });

    it('exits 1 on HTTP 503', async () => {
      const result = await runHealthcheck(port, '/health/ready');

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('GET /health/ready returned HTTP 503');
    });

    it('exits 1 when nothing listens', async () => {
      const closed = createServer();

      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));

      const closedPort = (closed.address() as AddressInfo).port;

      await new Promise<void>((resolve) => closed.close(() => resolve()));

      const result = await runHealthcheck(closedPort, '/health/live');

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('ECONNREFUSED');
    });

    it('exits 1 when the service hangs', async () => {
      const result = await runHealthcheck(port, '/hang');

      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no response within 2000 ms');
    });
  });

  describe('Dockerfile', () => {
    const copySources = [...dockerfile.matchAll(/^COPY (?!--from)(.+) \S+$/gm)].flatMap((match) =>
      match[1].split(/\s+/),
    );
    const included = dockerignore
      .split('\n')
      .filter((line) => line.startsWith('!'))
      .map((line) => line.slice(1).replace(/\/$/, ''));

    it('copies only files that exist', () => {
      expect(copySources.length).toBeGreaterThan(5);
      expect(copySources.filter((source) => !existsSync(join(projectRoot, source)))).toEqual([]);
    });

    it('copies only files the build context includes', () => {
      expect(copySources.filter((source) => !included.includes(source.replace(/\/$/, '')))).toEqual(
        [],
      );
    });
  });
});
