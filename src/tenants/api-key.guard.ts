import { ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';
import { PinoLogger } from 'nestjs-pino';

import { apiKeyPrefix, ApiKeyHasher } from '../common/crypto/api-key';
import { RequireScopes } from '../common/auth/require-scopes.decorator';
import { TenantResolver } from '../database/tenant-resolver';
import { ApiKeyUsage } from './api-key-usage';
import { addRequestLogFields } from '../logging/request-log-fields';

const invalidKey = 'Missing or invalid API key';

function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;

  if (typeof authorization === 'string' && /^Bearer\s+/i.test(authorization)) {
    return authorization.replace(/^Bearer\s+/i, '').trim();
  }

  const header = request.headers['x-api-key'];

  return typeof header === 'string' ? header.trim() : undefined;
}

/**
 * Authenticates a tenant API key (`Authorization: Bearer …` or `X-Api-Key`): the prefix finds the
 * key, the HMAC hash is compared in constant time, revoked keys and suspended tenants are rejected,
 * and the route's scopes are checked. Every authentication failure gets the same 401 body.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  constructor(
    private readonly resolver: TenantResolver,
    private readonly hasher: ApiKeyHasher,
    private readonly usage: ApiKeyUsage,
    private readonly reflector: Reflector,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ApiKeyGuard.name);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const key = presentedKey(request);
    const prefix = key ? apiKeyPrefix(key) : undefined;

    if (!key || !prefix) {
      throw new UnauthorizedException(invalidKey);
    }

    const resolved = await this.resolver.byApiKeyPrefix(prefix);

    if (!resolved || resolved.revokedAt || !this.hasher.matches(key, resolved.keyHash)) {
      this.logger.info({ keyPrefix: prefix, known: Boolean(resolved) }, 'API key rejected');
      throw new UnauthorizedException(invalidKey);
    }

    if (resolved.status !== 'active') {
      throw new ForbiddenException('Tenant is suspended');
    }

    const required =
      this.reflector.getAllAndOverride(RequireScopes, [context.getHandler(), context.getClass()]) ??
      [];
    const missing = required.filter((scope) => !resolved.scopes.includes(scope));

    if (missing.length > 0) {
      throw new ForbiddenException(`API key lacks the required scope: ${missing.join(', ')}`);
    }

    request.tenant = {
      tenantId: resolved.tenantId,
      apiKeyId: resolved.keyId,
      scopes: resolved.scopes,
    };
    addRequestLogFields({ tenantId: resolved.tenantId });
    this.usage.touch(resolved.tenantId, resolved.keyId);

    return true;
  }
}
