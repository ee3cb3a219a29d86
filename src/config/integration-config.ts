import type { AlertsConfig, BlooioConfig, LlmConfig, RepliesConfig } from './app-config';
import type { Environment } from './environment';

/** Returns the reasons the reply, LLM and alert settings do not fit together, one per variable. */
export function integrationConfigErrors(environment: Environment): string[] {
  const errors: string[] = [];

  if (environment.REPLY_RESPONDER === 'openai') {
    for (const name of ['LLM_BASE_URL', 'LLM_API_KEY', 'LLM_MODEL'] as const) {
      if (!environment[name]) {
        errors.push(`  ${name}: required when REPLY_RESPONDER is openai`);
      }
    }
  }

  if (Boolean(environment.TELEGRAM_BOT_TOKEN) !== Boolean(environment.TELEGRAM_CHAT_ID)) {
    errors.push(
      '  TELEGRAM_BOT_TOKEN, TELEGRAM_CHAT_ID: set both to send alerts to Telegram, or neither',
    );
  }

  return errors;
}

export function repliesConfig(environment: Environment): RepliesConfig {
  return {
    worker: {
      enabled: environment.REPLY_WORKER_ENABLED,
      concurrency: environment.REPLY_WORKER_CONCURRENCY,
      pollIntervalMs: environment.REPLY_WORKER_POLL_INTERVAL_MS,
      staleAfterMs: environment.REPLY_WORKER_STALE_AFTER_MS,
      maxAttempts: environment.REPLY_JOB_MAX_ATTEMPTS,
    },
    paused: environment.REPLIES_PAUSED,
    maxLength: environment.REPLY_MAX_LENGTH,
    fallbackText: environment.REPLY_FALLBACK_TEXT,
    responder: environment.REPLY_RESPONDER,
  };
}

export function llmConfig(environment: Environment): LlmConfig | undefined {
  const { LLM_BASE_URL: baseUrl, LLM_API_KEY: apiKey, LLM_MODEL: model } = environment;

  if (environment.REPLY_RESPONDER !== 'openai' || !baseUrl || !apiKey || !model) {
    return undefined;
  }

  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey,
    model,
    timeoutMs: environment.LLM_TIMEOUT_MS,
    maxRetries: environment.LLM_MAX_RETRIES,
    historyMessages: environment.LLM_HISTORY_MESSAGES,
    maxTokens: environment.LLM_MAX_TOKENS,
  };
}

export function blooioConfig(environment: Environment): BlooioConfig {
  return {
    baseUrl: environment.BLOOIO_BASE_URL.replace(/\/+$/, ''),
    apiKey: environment.BLOOIO_API_KEY,
    timeoutMs: environment.BLOOIO_TIMEOUT_MS,
    maxAttempts: environment.BLOOIO_MAX_ATTEMPTS,
    retryBaseDelayMs: environment.BLOOIO_RETRY_BASE_DELAY_MS,
    maxRetryDelayMs: environment.BLOOIO_MAX_RETRY_DELAY_MS,
  };
}

export function alertsConfig(environment: Environment): AlertsConfig {
  const { TELEGRAM_BOT_TOKEN: token, TELEGRAM_CHAT_ID: chatId } = environment;

  return {
    telegram:
      token && chatId
        ? { baseUrl: environment.TELEGRAM_API_BASE_URL.replace(/\/+$/, ''), token, chatId }
        : undefined,
    cooldownMs: environment.ALERT_COOLDOWN_MS,
    minIntervalMs: environment.ALERT_MIN_INTERVAL_MS,
  };
}
