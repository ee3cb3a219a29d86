import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

interface JsonReply {
  status: number;
  body: unknown;
}

interface JsonRequest {
  method: string;
  url: URL;
  headers: IncomingMessage['headers'];
  body: unknown;
}

/** An HTTP server on 127.0.0.1 and an ephemeral port that responds to every request with JSON. */
abstract class JsonServer {
  private server?: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;

    return this.url;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }

  protected abstract respond(request: JsonRequest): JsonReply;

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    let text = '';

    for await (const chunk of request) {
      text += String(chunk);
    }

    const reply = this.respond({
      method: request.method ?? 'GET',
      url: new URL(request.url ?? '/', 'http://127.0.0.1'),
      headers: request.headers,
      body: text ? (JSON.parse(text) as unknown) : undefined,
    });

    response.writeHead(reply.status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(reply.body));
  }
}

/** The fake service's /health/ready response while a tag runs. */
export interface TagBehaviour {
  ready: boolean;
  commit: string;
}

/**
 * The service behind the health URL. Its /health/ready responds for the tag that the fake Coolify
 * last finished deploying.
 */
export class FakeService extends JsonServer {
  runningTag: string;

  constructor(
    initialTag: string,
    private readonly behaviours: Record<string, TagBehaviour>,
  ) {
    super();
    this.runningTag = initialTag;
  }

  get healthUrl(): string {
    return `${this.url}/health/ready`;
  }

  protected respond({ url }: JsonRequest): JsonReply {
    const behaviour = this.behaviours[this.runningTag];

    if (url.pathname !== '/health/ready' || !behaviour) {
      return { status: 404, body: { message: 'Not Found' } };
    }

    return behaviour.ready
      ? { status: 200, body: { status: 'ok', version: '0.1.0', commit: behaviour.commit } }
      : { status: 503, body: { status: 'error', version: '0.1.0', commit: behaviour.commit } };
  }
}

export interface RecordedRequest {
  method: string;
  path: string;
  body: unknown;
}

/**
 * A planned failure: after `skip` matching requests pass, the next `times` requests matching
 * `method` and `path` get `status`.
 */
export interface InjectedFailure {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  skip?: number;
}

interface FakeDeployment {
  tag: string;
  reads: number;
  status: string;
}

/**
 * Coolify's API for one Docker Image application: GET and PATCH /api/v1/applications/{uuid},
 * GET /api/v1/deploy and GET /api/v1/deployments/{uuid}, behind a Bearer token. A deployment reads
 * as queued, then in_progress, then finished, at which point the fake service runs its tag; tags in
 * `failingTags` end as failed instead.
 */
export class FakeCoolify extends JsonServer {
  static readonly token = 'test-coolify-token';
  readonly requests: RecordedRequest[] = [];
  readonly failures: InjectedFailure[] = [];
  readonly failingTags = new Set<string>();
  readonly deployments = new Map<string, FakeDeployment>();
  tag: string;

  constructor(
    readonly applicationUuid: string,
    initialTag: string,
    private readonly service: FakeService,
  ) {
    super();
    this.tag = initialTag;
  }

  /** Tags deployed so far, in order. */
  deployedTags(): string[] {
    return [...this.deployments.values()].map((deployment) => deployment.tag);
  }

  protected respond(request: JsonRequest): JsonReply {
    const path = request.url.pathname;

    this.requests.push({
      method: request.method,
      path: `${path}${request.url.search}`,
      body: request.body,
    });

    if (request.headers.authorization !== `Bearer ${FakeCoolify.token}`) {
      return { status: 401, body: { message: 'Unauthenticated.' } };
    }

    const failure = this.failures.find(
      (entry) => entry.times > 0 && entry.method === request.method && entry.path.test(path),
    );

    if (failure && (failure.skip ?? 0) > 0) {
      failure.skip! -= 1;
    } else if (failure) {
      failure.times -= 1;

      return { status: failure.status, body: { message: `Injected failure ${failure.status}` } };
    }

    return this.route(request.method, path, request.url, request.body);
  }

  private route(method: string, path: string, url: URL, body: unknown): JsonReply {
    const applicationPath = `/api/v1/applications/${this.applicationUuid}`;

    if (path.startsWith('/api/v1/applications/') && path !== applicationPath) {
      return { status: 404, body: { message: 'Application not found.' } };
    }

    if (method === 'GET' && path === applicationPath) {
      return {
        status: 200,
        body: {
          uuid: this.applicationUuid,
          docker_registry_image_name: 'ghcr.io/example/aias-backend',
          docker_registry_image_tag: this.tag,
        },
      };
    }

    if (method === 'PATCH' && path === applicationPath) {
      this.tag = (body as { docker_registry_image_tag: string }).docker_registry_image_tag;

      return { status: 200, body: { uuid: this.applicationUuid } };
    }

    if (method === 'GET' && path === '/api/v1/deploy') {
      return this.queueDeployment(url.searchParams.get('uuid'));
    }

    if (method === 'GET' && path.startsWith('/api/v1/deployments/')) {
      return this.readDeployment(path.slice('/api/v1/deployments/'.length));
    }

    return { status: 404, body: { message: 'Not found.' } };
  }

  private queueDeployment(uuid: string | null): JsonReply {
    if (uuid !== this.applicationUuid) {
      return { status: 404, body: { message: 'No resources found.' } };
    }

    const deploymentUuid = `deployment-${this.deployments.size + 1}`;

    this.deployments.set(deploymentUuid, { tag: this.tag, reads: 0, status: 'queued' });

    return {
      status: 200,
      body: {
        deployments: [
          {
            message: 'Application deployment queued.',
            resource_uuid: uuid,
            deployment_uuid: deploymentUuid,
          },
        ],
      },
    };
  }

  private readDeployment(deploymentUuid: string): JsonReply {
    const deployment = this.deployments.get(deploymentUuid);

    if (!deployment) {
      return { status: 404, body: { message: 'Deployment not found.' } };
    }

    deployment.reads += 1;

    if (deployment.reads === 2) {
      deployment.status = 'in_progress';
    }

    if (deployment.reads === 3) {
      deployment.status = this.failingTags.has(deployment.tag) ? 'failed' : 'finished';

      if (deployment.status === 'finished') {
        this.service.runningTag = deployment.tag;
      }
    }

    return { status: 200, body: { deployment_uuid: deploymentUuid, status: deployment.status } };
  }
}

/** The Telegram Bot API's sendMessage, recording each message. */
export class FakeTelegram extends JsonServer {
  static readonly botToken = '123456:test-bot-token';
  readonly messages: { chatId: string; text: string }[] = [];
  failWith?: number;

  protected respond({ method, url, body }: JsonRequest): JsonReply {
    if (method !== 'POST' || url.pathname !== `/bot${FakeTelegram.botToken}/sendMessage`) {
      return { status: 404, body: { ok: false, description: 'Not Found' } };
    }

    if (this.failWith) {
      return { status: this.failWith, body: { ok: false, description: 'Injected failure' } };
    }

    const message = body as { chat_id: string; text: string };

    this.messages.push({ chatId: message.chat_id, text: message.text });

    return { status: 200, body: { ok: true, result: { message_id: this.messages.length } } };
  }
}
