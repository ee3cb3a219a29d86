import type { PinoLogger } from 'nestjs-pino';

import { RateLimiterHealth } from './rate-limiter-health';

function createLogger(): jest.Mocked<Pick<PinoLogger, 'setContext' | 'error' | 'info' | 'warn'>> {
  return { setContext: jest.fn(), error: jest.fn(), info: jest.fn(), warn: jest.fn() };
}

function createHealth(): { health: RateLimiterHealth; logger: ReturnType<typeof createLogger> } {
  const logger = createLogger();

  return { health: new RateLimiterHealth(logger as unknown as PinoLogger), logger };
}

describe(RateLimiterHealth.name, () => {
  it('starts up', () => {
    const { health } = createHealth();

    expect(health.isDown()).toBe(false);
  });

  it('logs one error per outage', () => {
    const { health, logger } = createHealth();

    health.recordFailure(new Error('connect ECONNREFUSED'));
    health.recordFailure(new Error('connect ECONNREFUSED'));
    health.recordFailure(new Error('timed out after 150 ms'));

    expect(health.isDown()).toBe(true);
    expect(logger.error).toHaveBeenCalledTimes(1);
  });

  it('logs one info line per recovery', () => {
    const { health, logger } = createHealth();

    health.recordSuccess();
    health.recordFailure(new Error('down'));
    health.recordSuccess();
    health.recordSuccess();

    expect(health.isDown()).toBe(false);
    expect(logger.info).toHaveBeenCalledTimes(1);
  });

  it('notifies listeners once per transition', () => {
    const { health } = createHealth();
    const outages: string[] = [];
    const recoveries: number[] = [];

    health.onOutage((event) => outages.push(event.reason));
    health.onRecovery((event) => recoveries.push(event.endedAt.getTime()));

    health.recordFailure(new Error('first'));
    health.recordFailure(new Error('second'));
    health.recordSuccess();
    health.recordFailure(new Error('third'));

    expect(outages).toEqual(['first', 'third']);
    expect(recoveries).toHaveLength(1);
  });

  it('stops notifying a removed listener', () => {
    const { health } = createHealth();
    const listener = jest.fn();
    const remove = health.onOutage(listener);

    remove();
    health.recordFailure(new Error('down'));

    expect(listener).not.toHaveBeenCalled();
  });

  it('survives a failing listener', () => {
    const { health, logger } = createHealth();
    const after = jest.fn();

    health.onOutage(() => {
      throw new Error('alert channel broken');
    });
    health.onOutage(after);
    health.recordFailure(new Error('down'));

    expect(after).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledTimes(1);
  });
});
