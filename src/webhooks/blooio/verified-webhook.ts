import { createParamDecorator, UnauthorizedException } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** A Blooio delivery whose signature BlooioSignatureGuard has verified. */
export interface VerifiedBlooioWebhook {
  tenantId: string;
  /** ISO 3166 alpha-2 region for reading the contact's national phone number. */
  defaultRegion: string;
  /** Our number that received or sent the message, in E.164. */
  receivingNumber: string;
  /** The JSON body, parsed once by the guard and not yet validated. */
  payload: unknown;
}

declare module 'fastify' {
  interface FastifyRequest {
    blooioWebhook?: VerifiedBlooioWebhook;
  }
}

/** Injects the verified delivery; a route without BlooioSignatureGuard gets a 401. */
export const VerifiedWebhook = createParamDecorator(
  (_: unknown, context: ExecutionContext): VerifiedBlooioWebhook => {
    const request = context.switchToHttp().getRequest<FastifyRequest>();

    if (!request.blooioWebhook) {
      throw new UnauthorizedException('Invalid webhook signature');
    }

    return request.blooioWebhook;
  },
);
