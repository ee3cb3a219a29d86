import { extraEnv, nodeArgs, targetOrder } from './targets';

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

describe('targetOrder', () => {
  const targets = ['express-baseline', 'nest-fastify', 'nest-fastify-before'];

  it('keeps the order in the first repeat', () => {
    expect(targetOrder(targets, 1)).toEqual(targets);
  });

  it('starts each repeat one place later', () => {
    expect(targetOrder(targets, 2)).toEqual([
      'nest-fastify',
      'nest-fastify-before',
      'express-baseline',
    ]);
    expect(targetOrder(targets, 4)).toEqual(targets);
  });

  it('puts each target first once in as many repeats', () => {
    const firsts = [1, 2, 3].map((repeat) => targetOrder(targets, repeat)[0]);

    expect(firsts.sort()).toEqual([...targets].sort());
  });
});
