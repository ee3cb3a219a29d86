import type { HealthIndicatorService } from '@nestjs/terminus';
import type { PinoLogger } from 'nestjs-pino';

import type { AlertService } from '../alerts/alert.service';
import { loadConfig } from '../config/load-config';
import type { PrismaService } from '../database/prisma.service';
import { DependencyHealth } from './dependency-health';

describe(DependencyHealth.name, () => {
  it('alerts when a readiness check fails', async () => {
    const indicator = { up: jest.fn(), down: jest.fn((details: unknown) => ({ details })) };
    const indicators = { check: () => indicator } as unknown as HealthIndicatorService;
    const prisma = {
      $queryRaw: () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432')),
    } as unknown as PrismaService;
    const logger = { setContext: jest.fn(), warn: jest.fn() } as unknown as PinoLogger;
    const alerts = { raise: jest.fn() };
    const health = new DependencyHealth(
      indicators,
      prisma,
      null,
      loadConfig({}),
      logger,
      alerts as unknown as AlertService,
    );

    await health.database();

    expect(indicator.down).toHaveBeenCalledWith({ message: 'unreachable' });
    expect(alerts.raise).toHaveBeenCalledWith({
      kind: 'readiness_failed',
      message: 'Readiness check failed: database unreachable',
      fingerprint: 'readiness:database',
    });
  });
});
