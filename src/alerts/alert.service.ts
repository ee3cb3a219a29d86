import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import { storage as requestLogContext } from 'nestjs-pino/storage';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import type { Alert } from './alert';
import { formatAlert, truncateText } from './alert';
import { maskSensitive } from '../common/logging/mask-sensitive';
import { TELEGRAM_MAX_TEXT_LENGTH, TelegramClient } from './telegram-client';

const maxQueuedMessages = 100;
const maxSendAttempts = 3;

interface CoalescedAlert {
  text: string;
  windowStartedAt: number;
  repeats: number;
  flushTimer?: NodeJS.Timeout;
}

/**
 * Raises operational alerts: each is logged, and sent to one Telegram chat when configured.
 * Alerts with one fingerprint are coalesced: the first within ALERT_COOLDOWN_MS is logged and sent
 * at once, and the repeats become one later line and message with their count. Messages leave at
 * most one per ALERT_MIN_INTERVAL_MS, Telegram's retry_after is honoured, and the queue is
 * bounded, so an error storm cannot flood the chat or the process. raise() never throws and never
 * waits.
 */
@Injectable()
export class AlertService implements OnModuleInit, OnApplicationShutdown {
  private readonly coalesced = new Map<string, CoalescedAlert>();
  private readonly queue: string[] = [];
  private readonly secrets: string[];
  private isDraining = false;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private droppedCount = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly telegram: TelegramClient,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(AlertService.name);
    this.secrets = [
      config.alerts.telegram?.token,
      config.blooio.apiKey,
      config.llm?.apiKey,
      config.encryptionKey?.toString('base64'),
    ].filter((secret): secret is string => Boolean(secret));
  }

  onModuleInit(): void {
    if (!this.telegram.isEnabled()) {
      this.logger.info(
        'Telegram alerts are disabled because TELEGRAM_BOT_TOKEN or TELEGRAM_CHAT_ID is unset; alerts are only logged',
      );
    }
  }

  onApplicationShutdown(): void {
    for (const entry of this.coalesced.values()) {
      clearTimeout(entry.flushTimer);
    }

    this.coalesced.clear();
  }

  raise(alert: Alert): void {
    try {
      const text = maskSensitive(formatAlert(alert, this.config.env), this.secrets);
      const fingerprint = alert.fingerprint ?? `${alert.kind}:${alert.message}`;

      // Repeats within the cooldown are counted, not logged: during an outage every failed
      // request raises the same alert, and one line each would flood the log.
      if (this.coalesce(fingerprint, text)) {
        this.logger.warn({ alertKind: alert.kind, tenantId: alert.tenantId }, text);
      }
    } catch (error) {
      this.logger.error({ err: error, alertKind: alert.kind }, 'Raising an alert failed');
    }
  }

  /** Returns true for the first alert of a fingerprint in a cooldown window, false for a repeat. */
  private coalesce(fingerprint: string, text: string): boolean {
    const now = Date.now();
    const entry = this.coalesced.get(fingerprint);

    if (entry && now - entry.windowStartedAt < this.config.alerts.cooldownMs) {
      entry.repeats += 1;
      entry.flushTimer ??= this.scheduleFlush(fingerprint, entry);

      return false;
    }

    if (entry) {
      // Under load the flush timer can run after the window has ended, so the closing window's
      // count is reported here before the new window replaces it.
      clearTimeout(entry.flushTimer);
      this.reportRepeats(entry);
    }

    this.coalesced.set(fingerprint, { text, windowStartedAt: now, repeats: 0 });
    this.enqueue(text);

    return true;
  }

  private scheduleFlush(fingerprint: string, entry: CoalescedAlert): NodeJS.Timeout {
    const delay = entry.windowStartedAt + this.config.alerts.cooldownMs - Date.now();
    const timer = setTimeout(() => this.flush(fingerprint), Math.max(delay, 0));

    timer.unref();

    return timer;
  }

  // Reports the repeats of the closing window, then opens a new window, so a continuing storm
  // yields one summary per cooldown.
  private flush(fingerprint: string): void {
    const entry = this.coalesced.get(fingerprint);

    if (!entry) {
      return;
    }

    if (entry.repeats === 0) {
      this.coalesced.delete(fingerprint);

      return;
    }

    this.reportRepeats(entry);
    entry.windowStartedAt = Date.now();
    entry.repeats = 0;
    entry.flushTimer = undefined;
  }

  // Logs and sends one line with the number of repeats in the entry's window, if any.
  private reportRepeats(entry: CoalescedAlert): void {
    if (entry.repeats === 0) {
      return;
    }

    const seconds = Math.round(this.config.alerts.cooldownMs / 1000);
    const summary = `${entry.text}\n(repeated ${entry.repeats} more times in the last ${seconds} s)`;

    // Logged outside the current request's log context, because the repeats came from many
    // requests and the line must not carry one request's id and tenant.
    requestLogContext.exit(() => this.logger.warn({ repeats: entry.repeats }, summary));
    this.enqueue(summary);
  }

  private enqueue(text: string): void {
    if (!this.telegram.isEnabled()) {
      return;
    }

    if (this.queue.length >= maxQueuedMessages) {
      this.droppedCount += 1;
      this.logger.error({ droppedCount: this.droppedCount }, 'Alert queue is full; alert dropped');

      return;
    }

    this.queue.push(truncateText(text, TELEGRAM_MAX_TEXT_LENGTH));
    void this.drain();
  }

  private async drain(): Promise<void> {
    if (this.isDraining) {
      return;
    }

    this.isDraining = true;

    try {
      for (let text = this.queue.shift(); text !== undefined; text = this.queue.shift()) {
        await this.sleep(this.lastSentAt + this.config.alerts.minIntervalMs - Date.now());
        await this.deliver(text);
        this.lastSentAt = Date.now();
      }
    } finally {
      this.isDraining = false;
    }
  }

  private async deliver(text: string): Promise<void> {
    for (let attempt = 1; attempt <= maxSendAttempts; attempt += 1) {
      const result = await this.telegram.sendMessage(text);

      if (result.outcome === 'sent') {
        return;
      }

      if (result.outcome === 'failed') {
        // Telegram's error description may quote the request, and so the token or the alert.
        this.logger.error(
          { reason: maskSensitive(result.reason, this.secrets) },
          'Sending an alert to Telegram failed',
        );

        return;
      }

      this.logger.warn(
        { retryAfterMs: result.retryAfterMs, attempt },
        'Telegram rate limit reached; waiting before the next alert',
      );
      await this.sleep(result.retryAfterMs);
    }

    this.logger.error({ attempts: maxSendAttempts }, 'Alert not sent: Telegram kept rate limiting');
  }

  private async sleep(ms: number): Promise<void> {
    if (ms <= 0) {
      return;
    }

    await new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
  }
}
