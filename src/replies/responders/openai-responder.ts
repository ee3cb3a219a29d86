import { PinoLogger } from 'nestjs-pino';

import type { LlmConfig } from '../../config/app-config';
import { parseRetryAfter, sleep } from '../../blooio/retry-after';
import type { ReplyContext, Responder } from './responder';
import { ResponderError } from './responder';

const maxRetryAfterMs = 10000;

interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

interface ChatCompletionBody {
  choices?: { message?: { content?: unknown }; finish_reason?: unknown }[];
}

type AttemptResult =
  { kind: 'done'; text: string } | { kind: 'retry'; reason: string; delayMs?: number };

function systemPrompt(context: ReplyContext): string {
  return [
    `You write the SMS replies of ${context.tenantName} to people who contacted the business.`,
    `About the business: ${context.businessDetails || 'no details given.'}`,
    'Goal: answer briefly, learn what the person needs, and offer to book an appointment.',
    `Write plain text of at most ${context.maxLength} characters: no links, no markdown, no placeholders.`,
    'Never say you are an AI or a language model, and never invent prices, dates or promises.',
  ].join('\n');
}

/**
 * A responder backed by any OpenAI-compatible chat-completions endpoint. Each attempt is bounded by
 * LLM_TIMEOUT_MS; network errors, timeouts, 408, 429 and 5xx are retried up to LLM_MAX_RETRIES
 * times. A reply cut off by the token limit is rejected rather than sent half-finished.
 */
export class OpenAiResponder implements Responder {
  readonly name = 'openai';

  constructor(
    private readonly config: LlmConfig,
    private readonly logger: PinoLogger,
  ) {}

  async generate(context: ReplyContext, signal?: AbortSignal): Promise<string> {
    const messages = this.messages(context);
    let lastReason = 'no attempt made';

    for (let attempt = 0; attempt <= this.config.maxRetries; attempt += 1) {
      const result = await this.attempt(messages, signal);

      if (result.kind === 'done') {
        return result.text;
      }

      lastReason = result.reason;

      if (attempt < this.config.maxRetries) {
        const delayMs = Math.min(result.delayMs ?? 500 * 2 ** attempt, maxRetryAfterMs);

        this.logger.warn(
          { attempt: attempt + 1, delayMs, reason: lastReason },
          'LLM request failed; retrying',
        );
        await sleep(delayMs, signal);
      }
    }

    throw new ResponderError(
      `LLM request failed after ${this.config.maxRetries + 1} attempts: ${lastReason}`,
    );
  }

  private messages(context: ReplyContext): ChatMessage[] {
    const history = context.history
      .slice(-this.config.historyMessages)
      .map((turn): ChatMessage => ({
        role: turn.role === 'contact' ? 'user' : 'assistant',
        content: turn.text,
      }));

    return [{ role: 'system', content: systemPrompt(context) }, ...history];
  }

  private async attempt(messages: ChatMessage[], signal?: AbortSignal): Promise<AttemptResult> {
    const timeout = AbortSignal.timeout(this.config.timeoutMs);
    let response: Response;

    try {
      response = await fetch(`${this.config.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.config.apiKey}`,
          'content-type': 'application/json',
        },
        body: JSON.stringify({
          model: this.config.model,
          messages,
          max_tokens: this.config.maxTokens,
          temperature: 0.3,
        }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch {
      signal?.throwIfAborted();

      return { kind: 'retry', reason: timeout.aborted ? 'request timed out' : 'network error' };
    }

    if (response.status === 408 || response.status === 429 || response.status >= 500) {
      await response.body?.cancel();

      return {
        kind: 'retry',
        reason: `HTTP ${response.status}`,
        delayMs: parseRetryAfter(response.headers.get('retry-after')),
      };
    }

    if (!response.ok) {
      await response.body?.cancel();
      throw new ResponderError(`LLM request rejected with HTTP ${response.status}`);
    }

    return { kind: 'done', text: this.contentOf(await this.parse(response)) };
  }

  private async parse(response: Response): Promise<ChatCompletionBody> {
    try {
      return (await response.json()) as ChatCompletionBody;
    } catch {
      throw new ResponderError('LLM response is not valid JSON');
    }
  }

  private contentOf(body: ChatCompletionBody): string {
    const choice = body.choices?.[0];
    const content = choice?.message?.content;

    if (typeof content !== 'string') {
      throw new ResponderError('LLM response has no message content');
    }

    if (choice?.finish_reason === 'length') {
      throw new ResponderError('LLM reply was cut off at the token limit');
    }

    return content;
  }
}
