import { Controller, Get, HttpStatus, Inject, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheckService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import type { FastifyReply } from 'fastify';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { DependencyHealth } from './dependency-health';
import { ShutdownState } from './shutdown-state';

interface HealthBody {
  status: 'ok' | 'error' | 'shutting_down';
  version: string;
  commit: string;
  checks?: HealthCheckResult['details'];
}

@ApiTags('health')
@SkipThrottle()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly dependencies: DependencyHealth,
    private readonly shutdown: ShutdownState,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('live')
  live(): HealthBody {
    return { status: 'ok', version: this.config.version, commit: this.config.commit };
  }

  @Get('ready')
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthBody> {
    return this.readiness(reply);
  }

  // Coolify probes this path; it reports readiness so a release that cannot reach its database is not promoted.
  @Get()
  async probe(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthBody> {
    return this.readiness(reply);
  }

  private async readiness(reply: FastifyReply): Promise<HealthBody> {
    const base = { version: this.config.version, commit: this.config.commit };

    if (this.shutdown.isDraining()) {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);

      return { status: 'shutting_down', ...base };
    }

    const result = await this.health
      .check([() => this.dependencies.database(), () => this.dependencies.redisPing()])
      .catch((error: { getResponse?: () => HealthCheckResult }) => error.getResponse?.());

    if (!result || result.status !== 'ok') {
      void reply.status(HttpStatus.SERVICE_UNAVAILABLE);

      return { status: 'error', ...base, checks: result?.details };
    }

    return { status: 'ok', ...base, checks: result.details };
  }
}
