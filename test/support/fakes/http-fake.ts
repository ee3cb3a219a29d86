import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, body: string, response: ServerResponse) => void;

/** A small HTTP server on 127.0.0.1 with a random port, for faking outside services in tests. */
export class HttpFake {
  private server?: Server;
  private readonly openResponses = new Set<ServerResponse>();

  constructor(private readonly handler: Handler) {}

  get url(): string {
    const address = this.server?.address() as AddressInfo | null;

    if (!address) {
      throw new Error('The fake server is not started');
    }

    return `http://127.0.0.1:${address.port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];

      this.openResponses.add(response);
      response.on('close', () => this.openResponses.delete(response));
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () =>
        this.handler(request, Buffer.concat(chunks).toString('utf8'), response),
      );
    });

    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));

    return this;
  }

  async stop(): Promise<void> {
    for (const response of this.openResponses) {
      response.destroy();
    }

    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.destroyed) {
    return;
  }

  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}
