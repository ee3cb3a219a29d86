import { createParamDecorator, UnauthorizedException } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import type { AuthenticatedTenant } from './tenant-request';

/** Injects the authenticated tenant; a route without an authentication guard gets a 401, never a blank tenant. */
export const CurrentTenant = createParamDecorator(
  (_: unknown, context: ExecutionContext): AuthenticatedTenant => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();

    if (!request.tenant) {
      throw new UnauthorizedException('Authentication required');
    }

    return request.tenant;
  },
);
