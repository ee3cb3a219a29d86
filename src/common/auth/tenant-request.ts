import type { FastifyRequest } from 'fastify';

/** What authentication established about the caller; set by the API-key and signature guards. */
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
