import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { Logger } from '@nestjs/common';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

import type { AppConfig } from '../../config/app-config';
import { runMigrations } from './run-migrations';
import { seedDemoTenant } from './seed-demo-tenant';

export interface EmbeddedDatabase {
  config: AppConfig;
  stop(): Promise<void>;
}

const appRole = 'aias_app';

function loadOrCreateKey(dataDir: string): Buffer {
  const path = join(dataDir, 'encryption.key');

  if (!existsSync(path)) {
    writeFileSync(path, randomBytes(32).toString('base64'), { mode: 0o600 });
  }

  return Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
}

/**
 * Starts PostgreSQL in WebAssembly (PGlite) on a loopback port, migrates it and seeds a demo tenant,
 * so the service runs with nothing else installed. For a demo only: PGlite serialises all
 * transactions, and every connection shares one superuser session, so the service switches to the
 * application role with SET LOCAL ROLE in each transaction to keep row-level security in force.
 */
export async function startEmbeddedDatabase(config: AppConfig): Promise<EmbeddedDatabase> {
  const logger = new Logger('EmbeddedDatabase');
  const dataDir = resolve(config.database.embeddedDataDir);

  mkdirSync(dataDir, { recursive: true });
  logger.warn(
    `DATABASE_URL is not set: starting the embedded PostgreSQL in ${dataDir} (demo use only)`,
  );

  const db = await PGlite.create({ dataDir: join(dataDir, 'pglite') });
  const server = new PGLiteSocketServer({
    db,
    host: '127.0.0.1',
    port: 0,
    maxConnections: config.database.poolSize + 4,
  });

  await server.start();

  const url = `postgresql://postgres@${server.getServerConn()}/postgres`;
  const encryptionKey = config.encryptionKey ?? loadOrCreateKey(dataDir);

  await runMigrations(url);
  await seedDemoTenant(url, encryptionKey, dataDir);

  // Lets local tools (npm run demo) query the running database; removed again on stop.
  const connectionFile = join(dataDir, 'embedded.json');

  writeFileSync(connectionFile, `${JSON.stringify({ url, pid: process.pid }, null, 2)}\n`, {
    mode: 0o600,
  });

  return {
    config: {
      ...config,
      encryptionKey,
      database: { ...config.database, url, setRole: config.database.setRole ?? appRole },
    },
    async stop() {
      rmSync(connectionFile, { force: true });
      await server.stop();
      await db.close();
    },
  };
}
