/** A failed Coolify API call; the message names the request, the status and Coolify's reason. */
export class CoolifyApiError extends Error {
  override readonly name = 'CoolifyApiError';

  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface CoolifyApplication {
  uuid: string;
  imageName: string | null;
  imageTag: string | null;
}

const maxReasonLength = 300;

/**
 * The calls to Coolify's REST API (`/api/v1`, Bearer token) that a release needs: read an
 * application's image tag, set it, queue a deployment and read the deployment's status.
 */
export class CoolifyClient {
  private readonly baseUrl: string;

  constructor(
    apiUrl: string,
    private readonly token: string,
    private readonly requestTimeoutMs: number,
  ) {
    this.baseUrl = `${apiUrl.replace(/\/+$/, '')}/api/v1`;
  }

  async getApplication(uuid: string): Promise<CoolifyApplication> {
    const body = await this.call('GET', `/applications/${encodeURIComponent(uuid)}`);
    const application = body as {
      docker_registry_image_name?: unknown;
      docker_registry_image_tag?: unknown;
    };

    return {
      uuid,
      imageName: stringOrNull(application.docker_registry_image_name),
      imageTag: stringOrNull(application.docker_registry_image_tag),
    };
  }

  async setImageTag(uuid: string, tag: string): Promise<void> {
    await this.call('PATCH', `/applications/${encodeURIComponent(uuid)}`, {
      docker_registry_image_tag: tag,
    });
  }

  /** Queues a deployment of the application's current settings and returns its deployment uuid. */
  async deploy(uuid: string): Promise<string> {
    const query = new URLSearchParams({ uuid, force: 'false' });
    const body = (await this.call('GET', `/deploy?${query.toString()}`)) as {
      deployments?: { resource_uuid?: string; deployment_uuid?: string; message?: string }[];
    };
    const deployment = body.deployments?.find((entry) => entry.resource_uuid === uuid);

    if (!deployment?.deployment_uuid) {
      throw new CoolifyApiError(
        `GET /deploy queued no deployment for application ${uuid}: ${truncate(JSON.stringify(body))}`,
      );
    }

    return deployment.deployment_uuid;
  }

  async getDeploymentStatus(deploymentUuid: string): Promise<string> {
    const body = (await this.call('GET', `/deployments/${encodeURIComponent(deploymentUuid)}`)) as {
      status?: unknown;
    };

    if (typeof body.status !== 'string') {
      throw new CoolifyApiError(
        `GET /deployments/${deploymentUuid} returned no status: ${truncate(JSON.stringify(body))}`,
      );
    }

    return body.status;
  }

  private async call(method: 'GET' | 'PATCH', path: string, body?: unknown): Promise<unknown> {
    const request = `${method} ${path.split('?')[0]}`;
    let response: Response;

    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.requestTimeoutMs),
      });
    } catch (error) {
      throw new CoolifyApiError(
        `${request} failed: ${describeFetchError(error, this.requestTimeoutMs)}`,
      );
    }

    const text = await response.text();

    if (!response.ok) {
      throw new CoolifyApiError(
        `${request} failed with HTTP ${response.status}${reasonFor(response.status)}: ${truncate(text) || '(empty body)'}`,
        response.status,
      );
    }

    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new CoolifyApiError(`${request} returned a body that is not JSON: ${truncate(text)}`);
    }
  }
}

function reasonFor(status: number): string {
  if (status === 401 || status === 403) {
    return ' (check COOLIFY_API_TOKEN and its permissions)';
  }

  if (status === 404) {
    return ' (check COOLIFY_APP_UUID)';
  }

  return '';
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function truncate(text: string): string {
  const singleLine = text.replace(/\s+/g, ' ').trim();

  return singleLine.length > maxReasonLength
    ? `${singleLine.slice(0, maxReasonLength)}…`
    : singleLine;
}

/**
 * Turns a fetch failure into words: a timeout, or the network error's code (ECONNREFUSED). Reads
 * the fields by name, because fetch's errors can come from another realm (as under Jest), where
 * `instanceof Error` is false.
 */
export function describeFetchError(error: unknown, timeoutMs: number): string {
  const { name, message, cause } = (error ?? {}) as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };

  if (name === 'TimeoutError' || name === 'AbortError') {
    return `timed out after ${timeoutMs} ms`;
  }

  return cause?.code ?? cause?.message ?? message ?? String(error);
}
