import { spawn, spawnSync } from 'node:child_process';
import path from 'node:path';

const modulePath = path.join(__dirname, 'stdout-destination');

/** Builds Node arguments that run `body` with `log`, a pino logger on stdoutDestination(bufferBytes). */
function scriptFor(bufferBytes: number, body: string): string[] {
  return [
    '-r',
    'ts-node/register/transpile-only',
    '-e',
    `const pino = require('pino');
     const { stdoutDestination } = require(${JSON.stringify(modulePath)});
     const log = pino(stdoutDestination(${bufferBytes}));
     ${body}`,
  ];
}

function linesOf(output: string): string[] {
  return output
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => (JSON.parse(line) as { msg: string }).msg);
}

describe('stdoutDestination', () => {
  it('writes buffered lines in order on exit', () => {
    const result = spawnSync(
      process.execPath,
      scriptFor(4096, `for (let i = 0; i < 100; i++) log.info('line ' + i); process.exit(0);`),
      { encoding: 'utf8' },
    );

    expect(result.status).toBe(0);
    expect(linesOf(result.stdout)).toEqual(Array.from({ length: 100 }, (_, i) => `line ${i}`));
  });

  it('writes a lone buffered line while running', async () => {
    const child = spawn(
      process.execPath,
      scriptFor(4096, `log.info('lone'); setTimeout(() => process.exit(0), 20000);`),
    );
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8');
      child.stdout.once('data', (chunk: string) => resolve(chunk));
      child.once('exit', () => reject(new Error('exited before writing')));
    });

    child.kill('SIGKILL');

    expect(linesOf(firstLine)).toEqual(['lone']);
  });

  it('writes each line at once without a buffer', () => {
    const result = spawnSync(
      process.execPath,
      scriptFor(0, `log.info('kept'); process.kill(process.pid, 'SIGKILL');`),
      { encoding: 'utf8' },
    );

    expect(result.signal).toBe('SIGKILL');
    expect(linesOf(result.stdout)).toEqual(['kept']);
  });

  it('loses buffered lines on SIGKILL', () => {
    const result = spawnSync(
      process.execPath,
      scriptFor(4096, `log.info('lost'); process.kill(process.pid, 'SIGKILL');`),
      { encoding: 'utf8' },
    );

    expect(result.signal).toBe('SIGKILL');
    expect(linesOf(result.stdout)).toEqual([]);
  });
});
