import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { applyV8Flags } from './v8-flags';

const repoDir = path.resolve(__dirname, '../..');

/**
 * Returns where a fresh object of a literal site starts ('young' or 'old') in a node process that
 * kept every earlier object of that site through many young collections.
 */
function freshObjectGeneration(nodeArgs: string[], preload: string[]): string {
  const probe = `
    function make(i) { return { i }; }
    const keep = [];
    for (let round = 0; round < 40; round += 1) {
      for (let i = 0; i < 20000; i += 1) keep.push(make(i));
      for (let i = 0; i < 20000; i += 1) new Array(64);
    }
    process.stdout.write(%InYoungGeneration(make(1)) ? 'young' : 'old');
  `;

  return execFileSync(
    process.execPath,
    [
      '--allow-natives-syntax',
      ...nodeArgs,
      '-r',
      'ts-node/register/transpile-only',
      ...preload.flatMap((file) => ['-r', file]),
      '-e',
      probe,
    ],
    { cwd: repoDir, encoding: 'utf8', timeout: 30_000 },
  );
}

/**
 * Runs the probe until a fresh object starts old, at most `attempts` times. With pretenuring on,
 * V8 pretenured the site in about 9 of 10 runs, so five runs that all return 'young' are unlikely
 * unless it is off.
 */
function isEverPretenured(nodeArgs: string[], preload: string[], attempts = 5): boolean {
  for (let attempt = 0; attempt < attempts; attempt += 1) {
    if (freshObjectGeneration(nodeArgs, preload) === 'old') {
      return true;
    }
  }

  return false;
}

describe('applyV8Flags', () => {
  it('turns off pretenuring by default', () => {
    const flags: string[] = [];

    expect(applyV8Flags([], (value) => flags.push(value))).toEqual([
      '--no-allocation-site-pretenuring',
    ]);
    expect(flags).toEqual(['--no-allocation-site-pretenuring']);
  });

  it.each([
    '--allocation-site-pretenuring',
    '--no-allocation-site-pretenuring',
    '--allocation_site_pretenuring',
    '-allocation-site-pretenuring',
    '--noallocation-site-pretenuring',
    '--no_allocation_site_pretenuring',
  ])('keeps the command-line setting %s', (arg) => {
    const flags: string[] = [];

    expect(applyV8Flags(['--enable-source-maps', arg], (value) => flags.push(value))).toEqual([]);
    expect(flags).toEqual([]);
  });

  it('keeps fresh objects young', () => {
    const applied = './src/runtime/apply-v8-flags.ts';

    // V8 pretenures the site without the flag, so the probe distinguishes the two.
    expect(isEverPretenured([], [])).toBe(true);
    expect(isEverPretenured([], [applied], 2)).toBe(false);
    expect(isEverPretenured(['--allocation-site-pretenuring'], [applied])).toBe(true);
  }, 120_000);
});
