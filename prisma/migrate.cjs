#!/usr/bin/env node
'use strict';

// Runs the project's Prisma CLI for migrations: `node prisma/migrate.cjs [prisma arguments]`,
// `migrate deploy` by default. The CLI connects with MIGRATION_DATABASE_URL (read by
// prisma.config.ts), which must name the role that owns the tables.
//
// After a successful `migrate deploy` it also installs or upgrades the job queue schema
// (prisma/job-queue/install.cjs), so a release step that runs this script migrates both.
//
// Unless PRISMA_SCHEMA_ENGINE_BINARY is already set (for example to a native schema engine), the
// CLI runs with the WebAssembly engine shim in prisma/engine, because the native engine cannot be
// downloaded on every machine.

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const projectRoot = path.join(__dirname, '..');
const prismaCli = path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js');
const engineShim = path.join(__dirname, 'engine', 'schema-engine.cjs');
const { installJobQueue } = require('./job-queue/install.cjs');

if (!process.env.MIGRATION_DATABASE_URL) {
  console.error(
    'MIGRATION_DATABASE_URL is not set: set it to the connection string of the database owner role.',
  );
  process.exit(1);
}

const args = process.argv.slice(2);
const cliArgs = args.length > 0 ? args : ['migrate', 'deploy'];

const result = spawnSync(process.execPath, [prismaCli, ...cliArgs], {
  cwd: projectRoot,
  stdio: 'inherit',
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || engineShim,
  },
});

if (result.error) {
  console.error(`Failed to start the Prisma CLI at ${prismaCli}: ${result.error.message}`);
  process.exit(1);
}
if (result.signal) {
  console.error(`The Prisma CLI was stopped by signal ${result.signal}.`);
  process.exit(1);
}
if (result.status !== 0 || cliArgs.join(' ') !== 'migrate deploy') {
  process.exit(result.status);
}

installJobQueue(process.env.MIGRATION_DATABASE_URL).then(
  () => process.exit(0),
  (error) => {
    console.error(`Job queue installation failed: ${error.message}`);
    process.exit(1);
  },
);
