import { createServer, connect } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Transform } from 'node:stream';

/**
 * A TCP proxy on 127.0.0.1 in front of a shared server. Cutting it looks to the service like the
 * dependency went away, without stopping a server that other test runs use. Setting
 * `responseDelayMs` holds back every chunk the server sends, which makes each query slow.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  private nextConnectionId = 0;
  port = 0;
  responseDelayMs = 0;
  /** Called with every chunk a client sends, for checks on the protocol (a Terminate message, QUIT). */
  onClientData?: (connectionId: number, chunk: Buffer) => void;

  constructor(
    private readonly targetPort: number,
    private readonly targetHost = '127.0.0.1',
  ) {}

  async start(): Promise<number> {
    this.server = createServer((client) => {
      const connectionId = this.nextConnectionId++;
      const upstream = connect(this.targetPort, this.targetHost);

      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }

      client.on('data', (chunk: Buffer) => this.onClientData?.(connectionId, chunk));
      client.pipe(upstream).pipe(this.delayedResponses()).pipe(client);
    });

    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;

    return this.port;
  }

  /** Stops accepting and drops every open connection. */
  async cut(): Promise<void> {
    for (const socket of this.sockets) {
      socket.destroy();
    }

    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
    this.server = undefined;
  }

  async restore(): Promise<void> {
    await this.start();
  }

  private delayedResponses(): Transform {
    return new DelayedChunks(() => this.responseDelayMs);
  }
}

/**
 * Passes each chunk on `delayMs()` after it arrived, in order: a chunk never overtakes one that
 * arrived before it, even when the delay has since gone back to 0.
 */
class DelayedChunks extends Transform {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly delayMs: () => number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    const releaseAt = Date.now() + this.delayMs();

    this.tail = this.tail.then(async () => {
      const waitMs = releaseAt - Date.now();

      if (waitMs > 0) {
        // Unreferenced, so a chunk still waiting after the test does not keep Jest running.
        await new Promise((resolve) => setTimeout(resolve, waitMs).unref());
      }

      this.push(chunk);
    });
    callback();
  }

  override _flush(callback: () => void): void {
    void this.tail.then(() => callback());
  }
}

/** Returns the connection URL with its port replaced by the proxy's, so traffic goes through it. */
export function throughProxy(url: string, port: number): string {
  const parsed = new URL(url);

  parsed.port = String(port);

  return parsed.toString();
}
