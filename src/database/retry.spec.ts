import { retry } from './retry';

describe('retry', () => {
  const transient = new Error('transient');
  const fatal = new Error('fatal');

  it('runs again after a retryable error', async () => {
    const work = jest.fn().mockRejectedValueOnce(transient).mockResolvedValueOnce('done');
    const beforeRetry = jest.fn();

    await expect(
      retry(work, { maxAttempts: 3, isRetryable: (error) => error === transient, beforeRetry }),
    ).resolves.toBe('done');
    expect(work).toHaveBeenCalledTimes(2);
    expect(beforeRetry).toHaveBeenCalledWith(1, transient);
  });

  it('stops at maxAttempts', async () => {
    const work = jest.fn().mockRejectedValue(transient);

    await expect(retry(work, { maxAttempts: 3, isRetryable: () => true })).rejects.toBe(transient);
    expect(work).toHaveBeenCalledTimes(3);
  });

  it('throws other errors at once', async () => {
    const work = jest.fn().mockRejectedValue(fatal);

    await expect(
      retry(work, { maxAttempts: 3, isRetryable: (error) => error === transient }),
    ).rejects.toBe(fatal);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
