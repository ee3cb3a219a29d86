import { readFileSync } from 'node:fs';

import { groupMapEvents } from './support/map-events';

// Prints the most frequent V8 map events at the end of a log written with --log-maps:
//   node -r ts-node/register/transpile-only bench/map-events.ts /tmp/v8.log [seconds, default 6]
const [file, seconds = '6'] = process.argv.slice(2);

if (!file) {
  console.error('usage: bench/map-events.ts <v8 log written with --log-maps> [seconds]');
  process.exit(2);
}

const groups = groupMapEvents(readFileSync(file, 'utf8'), Number(seconds) * 1000);
const total = groups.reduce((sum, group) => sum + group.count, 0);

console.log(`${total} map events in the last ${seconds} s of the log`);

for (const group of groups.slice(0, 15)) {
  console.log(`${group.count}\t${group.type}\t${group.reason}\t${group.source}`);
}
