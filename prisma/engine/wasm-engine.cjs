'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const WASM_PACKAGE = '@prisma/schema-engine-wasm';

/** Stores the message of the last Rust panic, which the wasm panic hook sends here. */
class WasmPanicRegistry {
  constructor() {
    this.message = '';
  }

  set_message(message) {
    this.message = message;
  }
}

let gluePromise;

/**
 * Instantiates the schema engine WebAssembly module once per process.
 *
 * The package's own entry point imports the `.wasm` file as an ES module, which Node 20 rejects,
 * so the module is instantiated here with the package's generated glue as its import object.
 */
function loadGlue() {
  if (!gluePromise) {
    gluePromise = (async () => {
      // The engine's panic hook calls global.PRISMA_WASM_PANIC_REGISTRY.set_message(). Without
      // the registry, a panic surfaces as a TypeError instead of the Rust message.
      globalThis.PRISMA_WASM_PANIC_REGISTRY = new WasmPanicRegistry();

      const gluePath = require.resolve(`${WASM_PACKAGE}/schema_engine_bg`);
      const glue = await import(pathToFileURL(gluePath).href);
      const bytes = fs.readFileSync(path.join(path.dirname(gluePath), 'schema_engine_bg.wasm'));
      const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': glue });
      glue.__wbg_set_wasm(instance.exports);
      instance.exports.__wbindgen_start();
      return glue;
    })();
  }
  return gluePromise;
}

/** Returns the git hash of the prisma-engines build inside the wasm package. */
async function engineVersion() {
  const glue = await loadGlue();
  return glue.version();
}

/**
 * Creates a wasm SchemaEngine.
 * @param {Array<[string, string]> | undefined} datamodels pairs of schema file path and content
 * @param {(line: string) => void} onLog receives each engine log line (JSON)
 * @param {object} adapterFactory a factory bound with bindMigrationAwareSqlAdapterFactory
 */
async function createSchemaEngine(datamodels, onLog, adapterFactory) {
  const glue = await loadGlue();
  return glue.SchemaEngine.new({ datamodels }, onLog, adapterFactory);
}

/** Returns the message of the last panic, or '' when none has happened. */
function lastPanicMessage() {
  return globalThis.PRISMA_WASM_PANIC_REGISTRY?.message ?? '';
}

/** Reports whether an error thrown by the engine is a Rust panic (a wasm trap). */
function isPanic(error) {
  return error instanceof WebAssembly.RuntimeError;
}

module.exports = { createSchemaEngine, engineVersion, isPanic, lastPanicMessage };
