#!/usr/bin/env node
'use strict';

// Installs or upgrades the job queue (graphile-worker's schema) as the database owner, then grants
// the application role what the worker needs: `node prisma/job-queue/install.cjs`, with
// MIGRATION_DATABASE_URL naming the owner role. prisma/migrate.cjs runs it after every successful
// `migrate deploy`, so one release step migrates both.
//
// The service logs in as aias_app, which may not create schemas. graphile-worker would otherwise
// install its schema on first start; here the owner installs it, and at start the worker only
// reads graphile_worker.migrations, finds it current and goes on.

const fs = require('node:fs');
const path = require('node:path');

const { Logger, runMigrations } = require('graphile-worker');
const { Client } = require('pg');

const grantsSql = fs.readFileSync(path.join(__dirname, 'grants.sql'), 'utf8');

// graphile-worker logs every migration at debug level; only warnings and errors matter here.
const quietLogger = new Logger(() => (level, message) => {
  if (level === 'warning' || level === 'error') {
    console.error(`graphile-worker ${level}: ${message}`);
  }
});

async function installJobQueue(ownerUrl) {
  await runMigrations({ connectionString: ownerUrl, logger: quietLogger });

  const client = new Client({ connectionString: ownerUrl });

  await client.connect();

  try {
    // One simple-query message runs the whole file as one implicit transaction.
    await client.query(grantsSql);
  } finally {
    await client.end();
  }
}

module.exports = { installJobQueue };

if (require.main === module) {
  const ownerUrl = process.env.MIGRATION_DATABASE_URL;

  if (!ownerUrl) {
    console.error(
      'MIGRATION_DATABASE_URL is not set: set it to the connection string of the database owner role.',
    );
    process.exit(1);
  }

  installJobQueue(ownerUrl)
    .then(() => console.log('Job queue schema graphile_worker is up to date.'))
    .catch((error) => {
      console.error(`Job queue installation failed: ${error.message}`);
      process.exit(1);
    });
}
