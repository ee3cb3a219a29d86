import { setFlagsFromString } from 'node:v8';

/**
 * Matches a command-line argument that sets allocation-site pretenuring either way. Node also takes
 * V8 flags with one dash, `no` without a dash and underscores for dashes.
 */
const pretenuringFlag = /^--?(no[-_]?)?allocation[-_]site[-_]pretenuring$/;

/**
 * Turns off V8's allocation-site pretenuring unless the node command line sets it, and returns the
 * flags it set. With pretenuring on, the objects of requests that wait on Redis or PostgreSQL were
 * allocated old and freed only by full collections (BENCHMARKS.md, "Objects allocated old").
 */
export function applyV8Flags(
  execArgv: readonly string[] = process.execArgv,
  setFlags: (flags: string) => void = setFlagsFromString,
): string[] {
  if (execArgv.some((arg) => pretenuringFlag.test(arg))) {
    return [];
  }

  setFlags('--no-allocation-site-pretenuring');

  return ['--no-allocation-site-pretenuring'];
}
