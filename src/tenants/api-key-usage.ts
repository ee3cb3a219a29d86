import { Injectable } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';

import { TenantDatabase } from '../database/tenant-database';

const minIntervalMs = 60_000;

/**
 * Records when each API key was last used, at most once a minute per key and off the request path,
 * so a busy key costs one small UPDATE a minute rather than one per request.
 */
@Injectable()
export class ApiKeyUsage {
  private readonly lastWritten = new Map<string, number>();

  constructor(
    private readonly db: TenantDatabase,
    private readonly logger: PinoLogger,
  ) {
    this.logger.setContext(ApiKeyUsage.name);
  }

  touch(tenantId: string, keyId: string): void {
    const now = Date.now();

    if (now - (this.lastWritten.get(keyId) ?? 0) < minIntervalMs) {
      return;
    }

    this.lastWritten.set(keyId, now);
    this.db
      .transaction(tenantId, (tx) =>
        tx.apiKey.update({ where: { id: keyId }, data: { lastUsedAt: new Date(now) } }),
      )
      .catch((error: unknown) =>
        this.logger.warn({ err: error, tenantId, keyId }, 'Failed to record API key use'),
      );
  }
}
