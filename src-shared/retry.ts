// One retry policy module for everything that tries again: a request to the central service, the sync
// loop, and letters (the desk's Почта and the service's mailing). Each policy says how long to wait
// after the n-th failure in a row and when to give up. Written here, not taken from a retry library,
// because two of the three are schedules that outlive the process (a letter's next attempt is a time
// stored with it; the sync loop's is a timer restarted at every start), which in-process retry
// wrappers do not model; what they share is this arithmetic, kept in one place and tested once.

export interface RetryPolicy {
  /** the wait after the first failure */
  firstMs: number;
  /** each further failure multiplies the wait by this */
  factor: number;
  /** the longest wait */
  maxMs: number;
  /** 0: exact waits; 0.5: each wait is taken at random between half of it and all of it (no herd of desks) */
  jitter: number;
  /** attempts in all before it gives up (undefined: never) */
  attempts?: number;
}

export const RETRY = {
  /**
   * A request to the central service that may be repeated: once more at once when a reused socket
   * was dropped, before the service counts as unreachable.
   */
  request: { firstMs: 0, factor: 1, maxMs: 0, jitter: 0, attempts: 2 },
  /**
   * The sync loop while the service does not answer or refuses: 5 s, 10 s, … at most 1 minute, so a
   * desk is back within a minute of the service (and a kick — a change saved, «sync now» — at once).
   */
  sync: { firstMs: 5_000, factor: 2, maxMs: 60_000, jitter: 0.5 },
  /** A letter whose relay failed: 30 s, 1, 2, 4 … 32 min, 8 attempts over about 64 minutes before it is failed (src-shared/mail/policy.ts). */
  mail: { firstMs: 30_000, factor: 2, maxMs: 60 * 60_000, jitter: 0, attempts: 8 },
} as const satisfies Record<string, RetryPolicy>;

/** The wait after `failures` failures in a row (0: none yet, no wait). */
export function retryDelayMs(policy: RetryPolicy, failures: number, random: () => number = Math.random): number {
  if (failures <= 0) return 0;
  const exact = Math.min(policy.maxMs, policy.firstMs * policy.factor ** (failures - 1));
  return Math.round(exact * (1 - policy.jitter + policy.jitter * random()));
}

/** Whether a thing tried `attempts` times may be tried again. */
export function mayRetry(policy: RetryPolicy, attempts: number): boolean {
  return policy.attempts === undefined || attempts < policy.attempts;
}
