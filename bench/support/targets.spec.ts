import { extraEnv, nodeArgs } from './targets';

describe('extraEnv', () => {
  it('reads NAME=value pairs', () => {
    expect(extraEnv('INGEST_CONCURRENCY=2 LOG_LEVEL=warn')).toEqual({
      INGEST_CONCURRENCY: '2',
      LOG_LEVEL: 'warn',
    });
  });

  it('keeps several flags in one value', () => {
    expect(extraEnv('NODE_OPTIONS=--require=./a.cjs --max-semi-space-size=64 REDIS_URL=')).toEqual({
      NODE_OPTIONS: '--require=./a.cjs --max-semi-space-size=64',
      REDIS_URL: '',
    });
  });

  it('reads nothing from an unset variable', () => {
    expect(extraEnv(undefined)).toEqual({});
  });
});

describe('nodeArgs', () => {
  it('splits flags on spaces', () => {
    expect(nodeArgs(' --single-threaded-gc  --max-semi-space-size=4 ')).toEqual([
      '--single-threaded-gc',
      '--max-semi-space-size=4',
    ]);
  });
});
