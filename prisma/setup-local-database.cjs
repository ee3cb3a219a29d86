#!/usr/bin/env node
'use strict';

// Prepares a database on a PostgreSQL server you administer (local development and tests):
//   node prisma/setup-local-database.cjs [--reset] [database name, default "aias"]
// It creates the owner role aias_owner (LOGIN CREATEROLE) if missing, creates the database owned by
// it (dropping it first with --reset), and applies the migrations as aias_owner. The migrations
// create the application role aias_app. ADMIN_DATABASE_URL names a superuser connection; the default
// suits a local server with trust authentication.

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const { Client } = require('pg');

const ownerRole = 'aias_owner';
const defaultAdminUrl = 'postgresql://postgres@127.0.0.1:5432/postgres';

function databaseUrl(adminUrl, user, database) {
  const url = new URL(adminUrl);

  url.username = user;
  url.password = '';
  url.pathname = `/${database}`;

  return url.toString();
}

async function setupLocalDatabase({ database = 'aias', reset = false, adminUrl } = {}) {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(database)) {
    throw new Error(
      `Invalid database name "${database}": use lowercase letters, digits and underscores`,
    );
  }

  const admin = new Client({
    connectionString: adminUrl || process.env.ADMIN_DATABASE_URL || defaultAdminUrl,
  });

  await admin.connect();

  try {
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ownerRole}') THEN
        CREATE ROLE ${ownerRole} LOGIN CREATEROLE NOSUPERUSER NOBYPASSRLS;
      END IF;
    END $$`);

    if (reset) {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    }

    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);

    if (exists.rowCount === 0) {
      await admin.query(`CREATE DATABASE ${database} OWNER ${ownerRole}`);
    }
  } finally {
    await admin.end();
  }

  const baseUrl = adminUrl || process.env.ADMIN_DATABASE_URL || defaultAdminUrl;
  const migrationUrl = databaseUrl(baseUrl, ownerRole, database);
  const result = spawnSync(
    process.execPath,
    [path.join(__dirname, 'migrate.cjs'), 'migrate', 'deploy'],
    {
      env: { ...process.env, MIGRATION_DATABASE_URL: migrationUrl },
      encoding: 'utf8',
    },
  );

  if (result.status !== 0) {
    throw new Error(`Migrations failed for ${database}:\n${result.stdout}\n${result.stderr}`);
  }

  return { migrationUrl, appUrl: databaseUrl(baseUrl, 'aias_app', database) };
}

module.exports = { setupLocalDatabase, databaseUrl };

if (require.main === module) {
  const args = process.argv.slice(2);
  const reset = args.includes('--reset');
  const database = args.find((arg) => !arg.startsWith('--'));

  setupLocalDatabase({ database, reset })
    .then(({ migrationUrl, appUrl }) => {
      console.log(
        `Database ready.\n  DATABASE_URL=${appUrl}\n  MIGRATION_DATABASE_URL=${migrationUrl}`,
      );
    })
    .catch((error) => {
      console.error(error.message);
      process.exit(1);
    });
}
