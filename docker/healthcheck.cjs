#!/usr/bin/env node
'use strict';

// Container health check that needs no curl or wget:
//   node docker/healthcheck.cjs [path, default /health/live]
// Requests http://127.0.0.1:$PORT<path> and exits 0 on HTTP 200, 1 on any other status, a
// connection error or no response within 2 s (shorter than the HEALTHCHECK --timeout of 3 s).

const http = require('node:http');

const path = process.argv[2] || '/health/live';
const port = Number(process.env.PORT) || 3000;
const timeoutMs = 2000;

const request = http.get({ host: '127.0.0.1', port, path, timeout: timeoutMs }, (response) => {
  response.resume();

  if (response.statusCode !== 200) {
    console.error(`Health check failed: GET ${path} returned HTTP ${response.statusCode}`);
  }

  process.exit(response.statusCode === 200 ? 0 : 1);
});

request.on('timeout', () => request.destroy(new Error(`no response within ${timeoutMs} ms`)));
request.on('error', (error) => {
  console.error(`Health check failed: GET ${path}: ${error.code || error.message}`);
  process.exit(1);
});
