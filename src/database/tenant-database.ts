import { Inject, Injectable } from '@nestjs/common';
import type { QueryResultRow } from 'pg';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import type { Prisma } from '../generated/prisma/client';
import { PrismaService } from './prisma.service';
import { uuidPattern } from '../common/validation/uuid-pattern';

export type TenantTransaction = Prisma.TransactionClient;

/**
 * A statement with $1, $2… placeholders. node-postgres prepares it once per connection under
 * `name`, so PostgreSQL parses and plans it once per connection instead of on every call.
 */
export interface NamedStatement {
  name: string;
  text: string;
  values: unknown[];
}

export class MissingTenantError extends Error {
  override readonly name = 'MissingTenantError';
}

/**
 * Runs work against tenant-owned tables inside one transaction whose first statement sets
 * `app.tenant_id` with set_config(..., is_local => true). The setting dies with the transaction,
 * so a pooled connection never carries one tenant's id into another request, and the row-level
 * security policies in the database filter and check every row against it.
 */
@Injectable()
export class TenantDatabase {
  constructor(
    private readonly prisma: PrismaService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async transaction<T>(
    tenantId: string,
    work: (tx: TenantTransaction) => Promise<T>,
    options?: { isolationLevel?: Prisma.TransactionIsolationLevel },
  ): Promise<T> {
    if (!uuidPattern.test(tenantId)) {
      throw new MissingTenantError('A tenant transaction needs a tenant id (uuid)');
    }

    return this.prisma.$transaction(async (tx) => {
      await this.setTenant(tx, tenantId);

      return work(tx);
    }, options);
  }

  /**
   * Runs one statement that sets `app.tenant_id` transaction-locally itself, such as a call of
   * store_inbound_message. Sent alone, the statement is its own transaction, so it costs one round
   * trip instead of BEGIN, set tenant, work and COMMIT. With DATABASE_SET_ROLE (the embedded
   * database) the statement still runs in a transaction that sets the role first.
   */
  async selfScoped<Row extends QueryResultRow>(
    tenantId: string,
    statement: NamedStatement,
  ): Promise<Row[]> {
    if (!uuidPattern.test(tenantId)) {
      throw new MissingTenantError('A tenant statement needs a tenant id (uuid)');
    }

    if (this.config.database.setRole) {
      return this.transaction(tenantId, (tx) =>
        tx.$queryRawUnsafe<Row[]>(statement.text, ...statement.values),
      );
    }

    return this.onPool<Row>(statement);
  }

  /**
   * Runs one statement that sets `app.tenant_id` itself for each of several tenants in turn, such
   * as a call of store_inbound_messages. Not available with DATABASE_SET_ROLE, whose role is set
   * per transaction.
   */
  async selfScopedBatch<Row extends QueryResultRow>(
    tenantIds: readonly string[],
    statement: NamedStatement,
  ): Promise<Row[]> {
    if (tenantIds.length === 0 || !tenantIds.every((tenantId) => uuidPattern.test(tenantId))) {
      throw new MissingTenantError('A tenant statement needs a tenant id (uuid) for each row');
    }

    if (this.config.database.setRole) {
      throw new Error('Batched tenant statements are not available with DATABASE_SET_ROLE');
    }

    return this.onPool<Row>(statement);
  }

  // Self-scoped statements go straight to Prisma's pool. Prisma's query path cost about a quarter
  // of the service's CPU per ingested message, and it gave each call hidden classes of its own,
  // which kept the call's objects in V8's old generation (BENCHMARKS.md).
  private async onPool<Row extends QueryResultRow>(statement: NamedStatement): Promise<Row[]> {
    const result = await this.prisma.pool.query<Row>({
      name: statement.name,
      text: statement.text,
      values: statement.values,
    });

    return result.rows;
  }

  private async setTenant(tx: TenantTransaction, tenantId: string): Promise<void> {
    const role = this.config.database.setRole;

    if (role) {
      await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true), set_config('role', ${role}, true)`;

      return;
    }

    await tx.$executeRaw`SELECT set_config('app.tenant_id', ${tenantId}, true)`;
  }
}
