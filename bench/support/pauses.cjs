'use strict';

// Preload for a server under test, to see its garbage collection pauses and event-loop stalls:
//   BENCH_SERVICE_ENV="NODE_OPTIONS=--require=./bench/support/pauses.cjs"
// Writes to stderr (the server's log file):
// - `GCPAUSE <epoch ms> <kind> <ms>` for each collection pause of 2 ms or more;
// - `GCCOUNTS {...}` with the number of collections of each kind at exit;
// - `LOOPSTALL <epoch ms> <ms>` each time a 5 ms timer fires 10 ms or more late: the loop ran
//   something else that long, or the process did not get a CPU.

const { PerformanceObserver, constants } = require('node:perf_hooks');
const { setInterval } = require('node:timers');

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

const stallTimerMs = 5;
const stallReportMs = 10;
let timerDueAt = Date.now() + stallTimerMs;

setInterval(() => {
  const now = Date.now();
  const delay = now - timerDueAt;

  if (delay >= stallReportMs) {
    process.stderr.write(`LOOPSTALL ${now} ${delay}\n`);
  }

  timerDueAt = now + stallTimerMs;
}, stallTimerMs).unref();
