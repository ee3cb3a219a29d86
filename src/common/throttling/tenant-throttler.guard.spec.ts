import { Controller, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host';
import { ThrottlerException } from '@nestjs/throttler';
import type { PinoLogger } from 'nestjs-pino';

import type { AuthenticatedTenant } from '../auth/tenant-request';
import { loadConfig } from '../../config/load-config';
import { RateLimitStorage } from './rate-limit-storage';
import { RateLimiterHealth } from './rate-limiter-health';
import { TenantThrottlerGuard, TenantThrottlerOrderError } from './tenant-throttler.guard';

@Controller()
class ProbeController {
  @Get()
  handle(): void {}
}

function silentLogger(): PinoLogger {
  return { setContext: jest.fn(), info: jest.fn(), error: jest.fn() } as unknown as PinoLogger;
}

function context(tenant?: AuthenticatedTenant): ExecutionContextHost {
  const headers: Record<string, string> = {};
  const reply = {
    getHeader: (name: string) => headers[name.toLowerCase()],
    header: (name: string, value: string) => (headers[name.toLowerCase()] = value),
  };
  const host = new ExecutionContextHost(
    [{ ip: '127.0.0.1', headers: {}, tenant }, reply],
    ProbeController,
    ProbeController.prototype.handle,
  );

  host.setType('http');

  return host;
}

const tenant = (tenantId: string): AuthenticatedTenant => ({ tenantId, scopes: ['read'] });

describe(TenantThrottlerGuard.name, () => {
  let storage: RateLimitStorage;
  let guard: TenantThrottlerGuard;

  beforeEach(() => {
    const config = loadConfig({ RATE_LIMIT_TENANT_LIMIT: '2' });

    storage = new RateLimitStorage(
      null,
      config,
      new RateLimiterHealth(silentLogger()),
      silentLogger(),
    );
    guard = new TenantThrottlerGuard(config, storage, new Reflector());
  });

  afterEach(() => {
    storage.onApplicationShutdown();
  });

  it('rejects use before authentication', async () => {
    await expect(guard.canActivate(context())).rejects.toThrow(TenantThrottlerOrderError);
  });

  it('limits each tenant separately', async () => {
    const first = tenant('11111111-1111-4111-8111-111111111111');
    const second = tenant('22222222-2222-4222-8222-222222222222');

    await expect(guard.canActivate(context(first))).resolves.toBe(true);
    await expect(guard.canActivate(context(first))).resolves.toBe(true);
    await expect(guard.canActivate(context(first))).rejects.toThrow(ThrottlerException);
    await expect(guard.canActivate(context(second))).resolves.toBe(true);
  });
});
