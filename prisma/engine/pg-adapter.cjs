'use strict';

const { randomUUID } = require('node:crypto');
const pg = require('pg');
const { PrismaPg } = require('@prisma/adapter-pg');
const {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
} = require('@prisma/driver-adapter-utils');

const CHAR_OID = 18;
const TEXT_OID = 25;

/**
 * Returns the pg pool config and adapter options for a connection string.
 *
 * The pool has one connection so that every statement runs in one session, as with the native
 * engine. The engine takes a session-level pg_advisory_lock, which a larger pool could release
 * early by closing the idle connection that holds it.
 */
function connectionSettings(url) {
  const schema = new URL(url).searchParams.get('schema') ?? undefined;
  const poolConfig = { connectionString: url, max: 1 };
  if (schema) {
    poolConfig.options = `-c search_path="${schema.replaceAll('"', '""')}"`;
  }
  return { poolConfig, adapterOptions: { schema } };
}

/** Returns the connection string with its database name replaced. */
function withDatabase(url, database) {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

/** Reports whether two connection strings name the same database on the same server. */
function isSameDatabase(url, otherUrl) {
  const first = new URL(url);
  const second = new URL(otherUrl);
  return (
    first.hostname === second.hostname &&
    (first.port || '5432') === (second.port || '5432') &&
    first.pathname === second.pathname
  );
}

/**
 * Fixes two gaps of @prisma/adapter-pg 7.10.0 on an adapter or transaction object, in place,
 * before the engine receives it.
 */
function patchQueryable(queryable) {
  // The adapter rejects PostgreSQL's one-byte "char" type (OID 18), which the engine's catalog
  // queries return (pg_constraint.contype). pg already returns it as a string, so the column is
  // passed through as text and reported to the engine as Character. Reported as Text, it makes
  // the engine panic when it describes a table with a CHECK constraint.
  const charColumnsByRows = new WeakMap();
  const performIO = queryable.performIO.bind(queryable);
  queryable.performIO = async (query) => {
    const result = await performIO(query);
    const charColumns = [];
    result.fields.forEach((field, index) => {
      if (field.dataTypeID === CHAR_OID) {
        field.dataTypeID = TEXT_OID;
        charColumns.push(index);
      }
    });
    if (charColumns.length > 0) {
      // queryRaw returns this same rows array, which links its result back to these columns.
      charColumnsByRows.set(result.rows, charColumns);
    }
    return result;
  };

  const queryRaw = queryable.queryRaw.bind(queryable);
  queryable.queryRaw = async (query) => {
    const resultSet = await queryRaw(query);
    for (const index of charColumnsByRows.get(resultSet.rows) ?? []) {
      resultSet.columnTypes[index] = ColumnTypeEnum.Character;
    }
    return resultSet;
  };

  // The adapter's executeScript splits the script on every ';', which breaks DO $$ ... $$ blocks
  // and commits the statements before a failing one. One simple-query message runs the whole
  // script as one implicit transaction, so a failed migration leaves nothing applied.
  if (queryable.executeScript) {
    queryable.executeScript = async (script) => {
      try {
        await queryable.underlyingDriver().query(script);
      } catch (error) {
        queryable.onError(error);
      }
    };
  }

  if (queryable.startTransaction) {
    const startTransaction = queryable.startTransaction.bind(queryable);
    queryable.startTransaction = async (isolationLevel) =>
      patchQueryable(await startTransaction(isolationLevel));
  }

  return queryable;
}

/** Opens an adapter for one database, with the fixes of patchQueryable. */
async function connectAdapter(url) {
  const { poolConfig, adapterOptions } = connectionSettings(url);
  const adapter = await new PrismaPg(poolConfig, adapterOptions).connect();
  return patchQueryable(adapter);
}

/** Drops every object in the database's non-system schemas, then recreates "public". */
async function emptyDatabase(adapter) {
  await adapter.executeScript(`
    DO $$
    DECLARE
      schema_name name;
    BEGIN
      FOR schema_name IN
        SELECT nspname FROM pg_namespace
        WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
          AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
      LOOP
        EXECUTE format('DROP SCHEMA %I CASCADE', schema_name);
      END LOOP;
      CREATE SCHEMA public;
    END
    $$;
  `);
}

/**
 * A driver adapter factory for the wasm schema engine over pg: `connect()` opens the main
 * database and `connectToShadowDb()` opens a shadow database for migrate dev and diff.
 */
class MigrationAdapterFactory {
  provider = 'postgres';
  adapterName = '@prisma/adapter-pg';

  /**
   * @param {string | undefined} url connection string of the main database
   * @param {string | undefined} shadowDatabaseUrl connection string of a dedicated shadow database
   */
  constructor(url, shadowDatabaseUrl) {
    this.url = url;
    this.shadowDatabaseUrl = shadowDatabaseUrl;
  }

  connect() {
    return connectAdapter(this.requireUrl());
  }

  /**
   * Opens the configured shadow database after emptying it, or else creates a temporary
   * database `prisma_migrate_shadow_db_<uuid>` (which needs CREATEDB) that dispose() drops.
   */
  async connectToShadowDb() {
    if (this.shadowDatabaseUrl) {
      if (this.url && isSameDatabase(this.url, this.shadowDatabaseUrl)) {
        throw new Error(
          'Invalid shadowDatabaseUrl: it names the main database, which would be emptied. Point it at a separate database.',
        );
      }
      const shadow = await connectAdapter(this.shadowDatabaseUrl);
      await emptyDatabase(shadow);
      return shadow;
    }

    const mainUrl = this.requireUrl();
    const database = `prisma_migrate_shadow_db_${randomUUID()}`;
    const admin = await connectAdapter(mainUrl);
    await admin.executeScript(`CREATE DATABASE "${database}"`);

    let shadow;
    try {
      shadow = await connectAdapter(withDatabase(mainUrl, database));
    } catch (error) {
      await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      await admin.dispose();
      throw error;
    }

    // The shadow pool must be closed before the drop: PostgreSQL refuses to drop a database
    // that has open sessions.
    const disposeShadow = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await disposeShadow();
      try {
        await admin.executeScript(`DROP DATABASE IF EXISTS "${database}"`);
      } finally {
        await admin.dispose();
      }
    };
    return shadow;
  }

  requireUrl() {
    if (!this.url) {
      throw new Error(
        'Missing database URL: start the schema engine with --datasource \'{"url": ...}\'. ' +
          'The wasm engine needs a database connection for every command, including diff.',
      );
    }
    return this.url;
  }
}

/** Creates the adapter factory that the wasm SchemaEngine expects. */
function createAdapterFactory(url, shadowDatabaseUrl) {
  return bindMigrationAwareSqlAdapterFactory(new MigrationAdapterFactory(url, shadowDatabaseUrl));
}

/**
 * Runs one statement on a short-lived pg client, for the commands that the wasm engine does
 * not implement (creating a database, checking a connection).
 */
async function runStatement(url, sql) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

module.exports = { createAdapterFactory, runStatement, withDatabase };
