import { HttpFake, sendJson } from './http-fake';

export type LlmBehaviour =
  { kind: 'reply'; content: string; finishReason?: string } | { kind: 'fail'; status: number };

/** A fake OpenAI-compatible chat-completions endpoint that returns scripted responses. */
export class FakeLlm {
  readonly requests: { authorization?: string; body: { model?: string; messages?: unknown[] } }[] =
    [];
  private readonly script: LlmBehaviour[] = [];
  private readonly server = new HttpFake((request, body, response) => {
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') {
      sendJson(response, 404, { error: { message: 'not found' } });

      return;
    }

    this.requests.push({ authorization: request.headers.authorization, body: JSON.parse(body) });

    const behaviour = this.script.shift() ?? { kind: 'reply', content: 'Happy to help!' };

    if (behaviour.kind === 'fail') {
      sendJson(response, behaviour.status, { error: { message: 'scripted failure' } });

      return;
    }

    sendJson(response, 200, {
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: behaviour.content },
          finish_reason: behaviour.finishReason ?? 'stop',
        },
      ],
    });
  });

  get baseUrl(): string {
    return `${this.server.url}/v1`;
  }

  async start(): Promise<this> {
    await this.server.start();

    return this;
  }

  async stop(): Promise<void> {
    await this.server.stop();
  }

  willRespond(...behaviours: LlmBehaviour[]): this {
    this.script.push(...behaviours);

    return this;
  }
}
