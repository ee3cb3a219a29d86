import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { runPacedLoad } from './paced-load';

/** Starts a local server that responds at once, or delays every response until `stallUntil`. */
async function startServer(options: { dropEvery?: number } = {}): Promise<{
  port: number;
  arrivals: number[];
  stall: (ms: number) => void;
  close: () => Promise<void>;
}> {
  const arrivals: number[] = [];
  let stallUntil = 0;
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      arrivals.push(Date.now());

      // Every dropEvery-th request has its connection closed after 300 ms, without a response.
      if (options.dropEvery && arrivals.length % options.dropEvery === 0) {
        setTimeout(() => request.socket.destroy(), 300);

        return;
      }

      setTimeout(() => response.end('ok'), Math.max(0, stallUntil - Date.now()));
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as AddressInfo).port,
    arrivals,
    stall: (ms) => {
      stallUntil = Date.now() + ms;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function options(port: number, overallRate: number) {
  return {
    port,
    path: '/',
    connections: 20,
    durationSeconds: 1,
    overallRate,
    leadInSeconds: 0,
    nextRequest: () => ({ body: Buffer.from('{}'), headers: { 'content-type': 'text/plain' } }),
  };
}

describe('runPacedLoad', () => {
  it('spreads the requests evenly over the phase', async () => {
    const server = await startServer();

    try {
      const result = await runPacedLoad(options(server.port, 200));
      const start = server.arrivals[0];
      const perWindow = new Array<number>(5).fill(0);

      for (const arrival of server.arrivals) {
        perWindow[Math.min(4, Math.floor((arrival - start) / 200))] += 1;
      }

      // 40 per 200 ms window when even; a closed-loop burst would send all 200 in the first.
      expect(result.total).toBe(200);
      expect(Math.max(...perWindow)).toBeLessThanOrEqual(60);
      expect(Math.min(...perWindow)).toBeGreaterThanOrEqual(20);
    } finally {
      await server.close();
    }
  });

  it('builds every request before it sends the first', async () => {
    const server = await startServer();
    const builtAt: number[] = [];

    try {
      await runPacedLoad({
        ...options(server.port, 200),
        nextRequest: () => {
          builtAt.push(Date.now());

          return { body: Buffer.from('{}'), headers: { 'content-type': 'text/plain' } };
        },
      });

      expect(builtAt).toHaveLength(200);
      expect(Math.max(...builtAt)).toBeLessThanOrEqual(Math.min(...server.arrivals));
    } finally {
      await server.close();
    }
  });

  it('sends the lead-in requests without recording their latencies', async () => {
    const server = await startServer();
    const answered: number[] = [];

    try {
      server.stall(300);
      const result = await runPacedLoad({
        ...options(server.port, 200),
        leadInSeconds: 0.5,
        onResponse: (status) => answered.push(status),
      });

      // 100 lead-in requests wait for the 300 ms stall; the 200 measured ones do not.
      expect(answered).toHaveLength(300);
      expect(result.total).toBe(200);
      expect(result.latencyMs.p99).toBeLessThan(100);
    } finally {
      await server.close();
    }
  });

  it('counts failed requests in the latencies', async () => {
    const server = await startServer({ dropEvery: 10 });

    try {
      const result = await runPacedLoad(options(server.port, 200));

      expect(result.errors).toBe(20);
      expect(result.total).toBe(180);
      expect(result.latencyMs.p99).toBeGreaterThanOrEqual(250);
    } finally {
      await server.close();
    }
  });

  it('counts a stall against every request due during it', async () => {
    const server = await startServer();

    try {
      setTimeout(() => server.stall(300), 300);
      const result = await runPacedLoad(options(server.port, 200));

      // About 60 of the 200 requests fall due in the stall and wait up to 300 ms each.
      expect(result.total).toBe(200);
      expect(result.latencyMs.p90).toBeGreaterThanOrEqual(100);
      expect(result.latencyMs.p99).toBeGreaterThanOrEqual(250);
      expect(result.latencyMs.p50).toBeLessThan(100);
    } finally {
      await server.close();
    }
  });
});
