import type { FastifyRequest } from 'fastify';

/** The caller's tenant as authentication established it. Set by the API-key and signature guards. */
export interface AuthenticatedTenant {
  tenantId: string;
  /** Present when an API key authenticated the request. */
  apiKeyId?: string;
  scopes: string[];
}

declare module 'fastify' {
  interface FastifyRequest {
    tenant?: AuthenticatedTenant;
  }
}

export type TenantRequest = FastifyRequest & { tenant: AuthenticatedTenant };
