#!/usr/bin/env node
'use strict';

// A stand-in for Prisma's native schema-engine executable, for machines that cannot download it.
// Point PRISMA_SCHEMA_ENGINE_BINARY at this file: it serves the CLI's JSON-RPC protocol with the
// WebAssembly build of the same engine (@prisma/schema-engine-wasm) over @prisma/adapter-pg.
// PostgreSQL only.

const fs = require('node:fs');
const { parseArgs } = require('node:util');

const { createAdapterFactory, runStatement } = require('./pg-adapter.cjs');
const {
  createDatabase,
  runCliCommand,
  UserFacingError,
  writeLog,
} = require('./database-commands.cjs');
const { serveJsonRpc, MethodNotFoundError } = require('./rpc-server.cjs');
const {
  createSchemaEngine,
  engineVersion,
  isPanic,
  lastPanicMessage,
} = require('./wasm-engine.cjs');

// Methods the wasm engine implements with the CLI's parameters unchanged.
const WASM_METHODS = new Set([
  'applyMigrations',
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
  let datasource = {};
  if (values.datasource) {
    try {
      datasource = JSON.parse(values.datasource);
    } catch (error) {
      throw new Error(
        `Invalid --datasource value: expected JSON such as {"url": "postgresql://..."}: ${error.message}`,
      );
    }
  }
  return {
    datamodelPaths: values.datamodels,
    datasource,
    printVersion: values.version ?? false,
    positionals,
  };
}

function runRpcServer({ datamodelPaths, datasource }) {
  const datamodels =
    datamodelPaths.length > 0
      ? datamodelPaths.map((path) => [path, fs.readFileSync(path, 'utf8')])
      : undefined;
  const adapterFactory = createAdapterFactory(datasource.url, datasource.shadowDatabaseUrl);
  let enginePromise;
  let panicError;

  // Created on first use, so that createDatabase works while the database does not exist yet.
  function getEngine() {
    enginePromise ??= createSchemaEngine(
      datamodels,
      (line) => process.stderr.write(`${line}\n`),
      adapterFactory,
    ).catch((error) => {
      enginePromise = undefined;
      throw error;
    });
    return enginePromise;
  }

  // The wasm engine diffs only the database its adapter connects to, so a diff target with another
  // URL would silently read the wrong database.
  function rejectOtherUrl(target) {
    if (target?.tag === 'url' && target.url !== datasource.url) {
      throw new Error(
        'Unsupported diff target: this schema engine reads only the datasource database it was started with, not another URL.',
      );
    }
  }

  async function handle(method, params, rpc) {
    switch (method) {
      case 'createDatabase': {
        const url =
          params?.datasource?.tag === 'ConnectionString' ? params.datasource.url : datasource.url;
        return { databaseName: await createDatabase(url) };
      }
      case 'getDatabaseVersion':
        return (await getEngine()).version();
      case 'dbExecute':
        // The wasm engine runs the script on its adapter's database, whatever URL the request names.
        if (params.datasourceType?.tag === 'url' && params.datasourceType.url !== datasource.url) {
          await runStatement(params.datasourceType.url, params.script);
          return null;
        }
        return (await getEngine()).dbExecute(params);
      case 'diff': {
        rejectOtherUrl(params.from);
        rejectOtherUrl(params.to);
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
        // devDiagnostic fills. Without it they fail with "shadow DB must be provided through an
        // external factory".
        const engine = await getEngine();
        await engine.devDiagnostic({
          migrationsList: params.migrationsList,
          filters: params.filters,
        });
        return method === 'createMigration'
          ? engine.createMigration(params)
          : engine.evaluateDataLoss(params);
      }
      case 'debugPanic':
        return (await getEngine()).debugPanic();
      default:
        if (WASM_METHODS.has(method)) {
          const engine = await getEngine();
          return engine[method](params);
        }
        throw new MethodNotFoundError(
          `Method not found: ${method}. The wasm schema engine shim does not implement it.`,
        );
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
      return {
        is_panic: true,
        message: error.panicMessage || error.message,
        backtrace: error.stack ?? null,
      };
    }
    // Errors thrown in JavaScript inside the adapter reach the engine only as an id into the
    // adapter's error registry.
    const message = String(error?.message ?? error).replace(
      /External error id#(\d+)/g,
      (text, id) => adapterFactory.errorRegistry.consumeError(Number(id))?.error?.message ?? text,
    );
    // Only these errors carry a Prisma error code. A pg error carries a SQLSTATE instead, and
    // some SQLSTATEs look like Prisma codes (P0001).
    const hasPrismaCode =
      error instanceof UserFacingError || error?.name === 'SchemaConnectorError';
    if (hasPrismaCode && error.code) {
      return { is_panic: false, message, meta: error.meta ?? {}, error_code: error.code };
    }
    writeLog('ERROR', { message });
    return { is_panic: false, message, backtrace: null };
  }

  const server = serveJsonRpc(handleUnlessPanicked, toErrorData);

  // Some panics happen in a wasm callback outside the request's promise and reach Node as an
  // uncaught exception. It becomes the error response of the running request, whose promise never settles.
  process.on('uncaughtException', (error) => {
    if (isPanic(error)) {
      panicError = error;
      panicError.panicMessage = lastPanicMessage();
      if (server.failActiveRequest(error)) {
        return;
      }
    }
    const message = isPanic(error) ? panicError.panicMessage || error.message : error.stack;
    writeLog('ERROR', { message: String(message ?? error) });
    process.exit(isPanic(error) ? 101 : 1);
  });
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
  const isUsageError =
    error.code?.startsWith?.('ERR_PARSE_ARGS') || error.message?.startsWith('Invalid --datasource');
  process.stderr.write(
    `schema-engine shim failed: ${isUsageError ? error.message : (error.stack ?? error)}\n`,
  );
  process.exit(1);
});
