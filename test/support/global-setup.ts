import { execSync } from 'node:child_process';

import { adminUrl, testDatabaseName } from './test-database';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { setupLocalDatabase } = require('../../prisma/setup-local-database.cjs') as {
  setupLocalDatabase(options: {
    database: string;
    reset: boolean;
    adminUrl: string;
  }): Promise<unknown>;
};

/** Creates a fresh test database once per run and applies every migration as the owner role. */
export default async function globalSetup(): Promise<void> {
  execSync('node .ci/ensure-services.cjs', { stdio: 'inherit' });
  await setupLocalDatabase({ database: testDatabaseName, reset: true, adminUrl });
}
