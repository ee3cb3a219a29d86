import { Controller, Get, Module } from '@nestjs/common';
import { SkipThrottle } from '@nestjs/throttler';

import type { AuthenticatedTenant } from '../../src/common/auth/tenant-request';
import { CurrentTenant } from '../../src/common/auth/current-tenant.decorator';
import { RateLimitFailClosed } from '../../src/common/throttling/rate-limit-policy.decorator';
import { UseTenantRateLimit } from '../../src/common/throttling/tenant-throttler.guard';
import { ThrottlingModule } from '../../src/common/throttling/throttling.module';
import { ApiKeyGuard } from '../../src/tenants/api-key.guard';
import { TenantsModule } from '../../src/tenants/tenants.module';

/** Routes for rate-limit tests only, one per way a real controller can use the limiter. */
@Controller('rate-limit-probe')
export class RateLimitProbeController {
  @Get('open')
  open(): { ok: true } {
    return { ok: true };
  }

  @Get('fail-closed')
  @RateLimitFailClosed()
  failClosed(): { ok: true } {
    return { ok: true };
  }

  @Get('tenant')
  @UseTenantRateLimit(ApiKeyGuard)
  tenant(@CurrentTenant() tenant: AuthenticatedTenant): { tenantId: string } {
    return { tenantId: tenant.tenantId };
  }

  @Get('unlimited')
  @SkipThrottle()
  unlimited(): { ok: true } {
    return { ok: true };
  }
}

@Module({
  imports: [ThrottlingModule, TenantsModule],
  controllers: [RateLimitProbeController],
})
export class RateLimitProbeModule {}
