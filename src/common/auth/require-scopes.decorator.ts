import { Reflector } from '@nestjs/core';

export type ApiScope = 'read' | 'write';

/** The scopes an API key needs for a route or controller; checked by ApiKeyGuard. */
export const RequireScopes = Reflector.createDecorator<ApiScope[]>();
