#!/usr/bin/env node
'use strict';

// Runs `prisma generate`. The CLI insists on a schema-engine path before it starts, although
// generate never calls the engine, so point it at the WebAssembly shim unless one is already set.

const { spawnSync } = require('node:child_process');
const path = require('node:path');

const projectRoot = path.join(__dirname, '..');
const result = spawnSync(
  process.execPath,
  [path.join(projectRoot, 'node_modules', 'prisma', 'build', 'index.js'), 'generate'],
  {
    cwd: projectRoot,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY:
        process.env.PRISMA_SCHEMA_ENGINE_BINARY ||
        path.join(__dirname, 'engine', 'schema-engine.cjs'),
    },
  },
);

process.exit(result.status ?? 1);
