import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { serverLatency } from './server-latency';

function logWith(lines: { id: string; responseTime: number }[]): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'server-latency-')), 'server.log');

  writeFileSync(
    file,
    lines
      .map(({ id, responseTime }) => JSON.stringify({ providerMessageId: id, responseTime }))
      .join('\n'),
  );

  return file;
}

describe('serverLatency', () => {
  const file = logWith([
    { id: 'run-paced80-0', responseTime: 300 },
    { id: 'run-paced80-1', responseTime: 300 },
    { id: 'run-paced80-2', responseTime: 4 },
    { id: 'run-paced80-3', responseTime: 6 },
    { id: 'run-paced8-4', responseTime: 900 },
  ]);

  it('reads the phase tag only', () => {
    expect(serverLatency(file, 'run-paced80')).toMatchObject({ requests: 4, max: 300 });
  });

  it('leaves out the sequences before fromSequence', () => {
    expect(serverLatency(file, 'run-paced80', 2)).toMatchObject({ requests: 2, max: 6 });
  });
});
