import type { Runner } from 'graphile-worker';
import type { PinoLogger } from 'nestjs-pino';

// Wait between attempts to start a new runner while the database is still unreachable.
const restartRetryMs = 2000;

/**
 * Keeps a graphile-worker runner going. graphile-worker 0.16 ends a worker for good when it cannot
 * release or complete a job (for example when the database goes away in the middle of one) and
 * does not replace it, and its runner stops on a fatal error. restart() stops the runner, which
 * waits for its other running jobs, and starts a new one, retrying every restartRetryMs while the
 * database is unreachable. The job of a dead worker stays locked until WorkerLiveness releases it.
 */
export class SupervisedRunner {
  private runner?: Runner;
  private restarting?: Promise<void>;
  private stopping = false;

  constructor(
    private readonly name: string,
    private readonly startRunner: () => Promise<Runner>,
    private readonly logger: PinoLogger,
    private readonly onStopped: (error: unknown) => void,
  ) {}

  async start(): Promise<void> {
    this.runner = await this.startRunner();
    this.watch(this.runner);
  }

  /** Replaces the runner. A call while a replacement is under way, or after stop(), does nothing. */
  restart(): void {
    if (this.restarting || this.stopping || !this.runner) {
      return;
    }

    this.restarting = this.replace().finally(() => {
      this.restarting = undefined;
    });
  }

  /** Stops the runner, after any replacement under way, and waits for its running jobs. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting;

    const runner = this.runner;

    this.runner = undefined;
    await runner?.stop().catch((error: unknown) => {
      this.logger.warn({ err: error }, `${this.name} had already stopped`);
    });
  }

  private async replace(): Promise<void> {
    const old = this.runner;

    this.runner = undefined;
    await old?.stop().catch(() => undefined);

    while (!this.stopping) {
      try {
        const runner = await this.startRunner();

        this.runner = runner;
        this.watch(runner);
        this.logger.info(`${this.name} restarted`);

        return;
      } catch (error) {
        this.logger.warn(
          { err: error },
          `Restarting the ${this.name.toLowerCase()} failed; retrying`,
        );
        await new Promise((resolve) => setTimeout(resolve, restartRetryMs));
      }
    }
  }

  // The runner's promise rejects when graphile-worker stops on an error. The process would then
  // take no more jobs, so the runner is replaced.
  private watch(runner: Runner): void {
    runner.promise.catch((error: unknown) => {
      if (this.runner !== runner) {
        return;
      }

      this.logger.error({ err: error }, `${this.name} stopped after a fatal error`);
      this.onStopped(error);
      this.restart();
    });
  }
}
