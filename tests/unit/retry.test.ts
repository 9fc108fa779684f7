// The one retry policy module (src-shared/retry.ts): the waits each policy gives after n failures in a
// row, with and without jitter, and when each gives up.
import { describe, expect, it } from 'vitest';
import { mayRetry, RETRY, retryDelayMs } from '../../src-shared/retry';

describe('retry policies', () => {
  it('the sync loop is back within a minute of the service: 5 s doubling to at most 60 s, never endless', () => {
    const exact = (n: number) => retryDelayMs(RETRY.sync, n, () => 1);
    expect([1, 2, 3, 4, 5, 6, 10].map(exact)).toEqual([5_000, 10_000, 20_000, 40_000, 60_000, 60_000, 60_000]);
    // Jitter: between half the wait and all of it, so desks do not come back all at once.
    expect(retryDelayMs(RETRY.sync, 3, () => 0)).toBe(10_000);
    expect(mayRetry(RETRY.sync, 1_000)).toBe(true);
    expect(retryDelayMs(RETRY.sync, 0)).toBe(0);
  });

  it('a letter: 30 s, 1, 2 … 32 min, 8 attempts in about 64 minutes, then failed', () => {
    const waits = [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(RETRY.mail, n));
    expect(waits).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000]);
    expect(waits.reduce((a, b) => a + b, 0) / 60_000).toBeCloseTo(63.5, 1);
    expect(mayRetry(RETRY.mail, 7)).toBe(true);
    expect(mayRetry(RETRY.mail, 8)).toBe(false);
  });

  it('a repeatable request to the service is tried twice, the second at once', () => {
    expect(mayRetry(RETRY.request, 1)).toBe(true);
    expect(mayRetry(RETRY.request, 2)).toBe(false);
    expect(retryDelayMs(RETRY.request, 1)).toBe(0);
  });
});
