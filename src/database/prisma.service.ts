import { Inject, Injectable, Logger } from '@nestjs/common';
import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';

import { APP_CONFIG } from '../config/app-config';
import type { AppConfig } from '../config/app-config';
import { PrismaClient } from '../generated/prisma/client';
import { PreparedStatementNames } from './prepared-statements';

/**
 * The one Prisma client of the process, logged in as the application role.
 * Tenant-owned tables are only reachable through TenantDatabase, which sets the tenant per transaction.
 */
@Injectable()
export class PrismaService extends PrismaClient implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(PrismaService.name);

  /** The pool Prisma runs on, shared with the statements TenantDatabase sends without Prisma. */
  readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    const pool = new Pool({
      connectionString: config.database.url,
      max: config.database.poolSize,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30000,
      // Without these, a query on an open connection to a frozen server waits forever.
      query_timeout: config.database.queryTimeoutMs,
      statement_timeout: config.database.queryTimeoutMs,
      keepAlive: true,
    });
    const adapter = new PrismaPg(
      pool,
      // Statements stay unnamed with DATABASE_SET_ROLE, which the embedded database sets. It serves
      // every pooled connection from one PGlite session, so a statement that one connection
      // prepared already exists for the next, and preparing it again fails.
      config.database.setRole
        ? { disposeExternalPool: true }
        : {
            disposeExternalPool: true,
            statementNameGenerator: new PreparedStatementNames().nameFor,
          },
    );

    // The embedded database serialises transactions, so a waiting transaction needs more time to start.
    super({
      adapter,
      transactionOptions: { maxWait: config.database.setRole ? 10000 : 5000, timeout: 15000 },
    });
    this.pool = pool;
  }

  async onModuleInit(): Promise<void> {
    await this.$connect();
    await this.$queryRaw`SELECT 1`;
    this.logger.log('Connected to PostgreSQL');
  }

  // Disconnect after the HTTP server has drained, not on module destroy, so in-flight requests finish.
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
  }
}
