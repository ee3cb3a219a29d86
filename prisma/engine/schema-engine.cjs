#!/usr/bin/env node
'use strict';

// A stand-in for Prisma's native schema-engine executable, for machines that cannot download it.
// Point PRISMA_SCHEMA_ENGINE_BINARY at this file: it serves the CLI's JSON-RPC protocol with the
// WebAssembly build of the same engine (@prisma/schema-engine-wasm) over @prisma/adapter-pg.
// PostgreSQL only.

const fs = require('node:fs');
const { parseArgs } = require('node:util');

const { createAdapterFactory, runStatement } = require('./pg-adapter.cjs');
const { checkConnection, createDatabase } = require('./database-commands.cjs');
const { serveJsonRpc, MethodNotFoundError } = require('./rpc-server.cjs');
const { createSchemaEngine, engineVersion, isPanic, lastPanicMessage } = require('./wasm-engine.cjs');

// Methods the wasm engine implements with the CLI's parameters unchanged.
const WASM_METHODS = new Set([
  'applyMigrations',
  'dbExecute',
  'devDiagnostic',
  'diagnoseMigrationHistory',
  'ensureConnectionValidity',
  'introspect',
  'introspectSql',
  'markMigrationApplied',
  'markMigrationRolledBack',
  'reset',
  'schemaPush',
]);

function parseCommandLine() {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      datamodels: { type: 'string', multiple: true, default: [] },
      datasource: { type: 'string' },
      'enabled-preview-features': { type: 'string' },
      'extension-types': { type: 'string' },
      version: { type: 'boolean', short: 'V' },
    },
  });
  return {
    datamodelPaths: values.datamodels,
    datasource: values.datasource ? JSON.parse(values.datasource) : {},
    printVersion: values.version ?? false,
    positionals,
  };
}

/** Writes one log line in the JSON format of the native engine, which the CLI parses from stderr. */
function writeLog(level, fields) {
  process.stderr.write(`${JSON.stringify({ level, fields, target: 'schema_engine::logger' })}\n`);
}

/**
 * Runs `cli can-connect-to-database` or `cli create-database`. The CLI skips the first stderr line
 * and parses the others as JSON; it reads a failure from the ERROR line's error_code and message.
 */
async function runCliCommand(command, url) {
  writeLog('INFO', { message: `Starting schema engine CLI command: ${command}` });
  try {
    if (!url) {
      throw new Error('Missing database URL: pass --datasource {"url": ...}.');
    }
    if (command === 'can-connect-to-database') {
      await checkConnection(url);
    } else if (command === 'create-database') {
      const name = await createDatabase(url);
      writeLog('INFO', { message: `Database '${name}' was successfully created.` });
    } else {
      throw new Error(`Unknown CLI command: ${command}. Expected can-connect-to-database or create-database.`);
    }
  } catch (error) {
    writeLog('ERROR', { message: error.message, error_code: error.code?.startsWith?.('P') ? error.code : undefined });
    process.exitCode = 1;
  }
}

function runRpcServer({ datamodelPaths, datasource }) {
  const datamodels = datamodelPaths.length > 0 ? datamodelPaths.map((path) => [path, fs.readFileSync(path, 'utf8')]) : undefined;
  const adapterFactory = createAdapterFactory(datasource.url, datasource.shadowDatabaseUrl);
  let enginePromise;
  let panicError;

  // Created on first use, so that createDatabase works while the database does not exist yet.
  function getEngine() {
    enginePromise ??= createSchemaEngine(datamodels, (line) => process.stderr.write(`${line}\n`), adapterFactory).catch(
      (error) => {
        enginePromise = undefined;
        throw error;
      },
    );
    return enginePromise;
  }

  // The wasm engine connects only to the main database, so a request for another URL would
  // silently run against the wrong database.
  function rejectOtherUrl(url) {
    if (url !== undefined && url !== datasource.url) {
      throw new Error('This schema engine shim connects only to the datasource URL of prisma.config.ts; --url and --from-url/--to-url with another database are not supported.');
    }
  }

  async function handle(method, params, rpc) {
    switch (method) {
      case 'createDatabase': {
        const url = params?.datasource?.tag === 'ConnectionString' ? params.datasource.url : datasource.url;
        return { databaseName: await createDatabase(url) };
      }
      case 'getDatabaseVersion':
        return (await getEngine()).version();
      case 'dbExecute':
        if (params.datasourceType?.tag === 'url' && params.datasourceType.url !== datasource.url) {
          await runStatement(params.datasourceType.url, params.script);
          return null;
        }
        return (await getEngine()).dbExecute(params);
      case 'diff': {
        rejectOtherUrl(params.from?.tag === 'url' ? params.from.url : undefined);
        rejectOtherUrl(params.to?.tag === 'url' ? params.to.url : undefined);
        const { exitCode, stdout } = await (await getEngine()).diff(params);
        // The CLI prints diff output only when it arrives as a print request.
        if (stdout !== null && stdout !== undefined) {
          await rpc.print(stdout);
        }
        return { exitCode };
      }
      case 'createMigration':
      case 'evaluateDataLoss': {
        // In the wasm build these two read the shadow database schema from a cache that only
        // devDiagnostic fills; without it they fail with "shadow DB must be provided through an
        // external factory".
        const engine = await getEngine();
        await engine.devDiagnostic({ migrationsList: params.migrationsList, filters: params.filters });
        return method === 'createMigration' ? engine.createMigration(params) : engine.evaluateDataLoss(params);
      }
      case 'debugPanic':
        return (await getEngine()).debugPanic();
      default:
        if (WASM_METHODS.has(method)) {
          const engine = await getEngine();
          return engine[method](params);
        }
        throw new MethodNotFoundError(`Method not found: ${method}. The wasm schema engine shim does not implement it.`);
    }
  }

  async function handleUnlessPanicked(method, params, rpc) {
    // A wasm instance is unusable after a panic, so later requests get the same panic.
    if (panicError) {
      throw panicError;
    }
    try {
      return await handle(method, params, rpc);
    } catch (error) {
      if (isPanic(error)) {
        panicError = error;
        panicError.panicMessage = lastPanicMessage();
      }
      throw error;
    }
  }

  function toErrorData(error) {
    if (isPanic(error)) {
      return { is_panic: true, message: error.panicMessage || error.message, backtrace: error.stack ?? null };
    }
    // Errors thrown in JavaScript inside the adapter reach the engine only as an id into the
    // adapter's error registry.
    const message = String(error?.message ?? error).replace(
      /External error id#(\d+)/g,
      (text, id) => adapterFactory.errorRegistry.consumeError(Number(id))?.error?.message ?? text,
    );
    if (typeof error?.code === 'string' && /^P\d{4}$/.test(error.code)) {
      return { is_panic: false, message, meta: error.meta ?? {}, error_code: error.code };
    }
    writeLog('ERROR', { message });
    return { is_panic: false, message, backtrace: null };
  }

  serveJsonRpc(handleUnlessPanicked, toErrorData);
}

async function main() {
  const options = parseCommandLine();

  if (options.printVersion) {
    process.stdout.write(`schema-engine-cli ${await engineVersion()}\n`);
    return;
  }
  if (options.positionals[0] === 'cli') {
    await runCliCommand(options.positionals[1], options.datasource.url);
    return;
  }
  runRpcServer(options);
}

main().catch((error) => {
  process.stderr.write(`schema-engine shim failed: ${error.stack ?? error}\n`);
  process.exit(1);
});
