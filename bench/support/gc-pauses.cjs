'use strict';

// Preload for a server under test, to see its garbage collection pauses:
//   BENCH_SERVICE_ENV="NODE_OPTIONS=--require=./bench/support/gc-pauses.cjs"
// Writes `GCPAUSE <epoch ms> <kind> <ms>` to stderr (the server's log file) for each pause of 2 ms
// or more, and `GCCOUNTS {...}` with the number of collections of each kind at exit.

const { PerformanceObserver, constants } = require('node:perf_hooks');

const kinds = {
  [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
  [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
  [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
};
const counts = {};

new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const kind = kinds[entry.detail?.kind] ?? String(entry.detail?.kind);

    counts[kind] = (counts[kind] ?? 0) + 1;

    if (entry.duration >= 2) {
      process.stderr.write(`GCPAUSE ${Date.now()} ${kind} ${entry.duration.toFixed(1)}\n`);
    }
  }
}).observe({ entryTypes: ['gc'] });

process.on('exit', () => process.stderr.write(`GCCOUNTS ${JSON.stringify(counts)}\n`));
