import { LogSampler } from './log-sampler';

describe(LogSampler.name, () => {
  let nowMs = 0;
  const now = (): number => nowMs;

  beforeEach(() => {
    nowMs = 0;
  });

  it('logs the first occurrence', () => {
    expect(new LogSampler(1000, 10, now).sample('a')).toBe(0);
  });

  it('skips repeats within the interval and counts them', () => {
    const sampler = new LogSampler(1000, 10, now);

    sampler.sample('a');
    expect(sampler.sample('a')).toBeUndefined();
    expect(sampler.sample('a')).toBeUndefined();
    nowMs = 1000;
    expect(sampler.sample('a')).toBe(2);
  });

  it('keeps keys apart', () => {
    const sampler = new LogSampler(1000, 10, now);

    sampler.sample('a');
    expect(sampler.sample('b')).toBe(0);
  });

  it('forgets the oldest key at the bound', () => {
    const sampler = new LogSampler(1000, 2, now);

    sampler.sample('a');
    sampler.sample('b');
    sampler.sample('c');
    expect(sampler.sample('a')).toBe(0);
  });
});
