// The sync loop: runs the engine in the background, soon after start and after each local change,
// then on a timer, backing off with jitter while it fails (the shared sync policy, src-shared/retry.ts).
import { RETRY, retryDelayMs, type RetryPolicy } from '../../../src-shared/retry';
import type { SyncStatus } from '../../../src-shared/schemas/sync';

/** Runs sync in the background: soon after start and after each local change, then on a timer, backing off with jitter while it fails. */
export function startSyncLoop(engine: { syncNow(): Promise<Pick<SyncStatus, 'state' | 'problem'>> }, options: { baseMs?: number; maxMs?: number; policy?: RetryPolicy } = {}) {
  // Every 15 s while all is well; after failures in a row, the shared sync policy (src-shared/retry.ts).
  const base = options.baseMs ?? 15_000;
  const policy: RetryPolicy = options.policy ?? (options.maxMs !== undefined ? { ...RETRY.sync, firstMs: base, maxMs: options.maxMs } : RETRY.sync);
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(tick, ms);
    timer.unref();
  };
  const tick = async () => {
    const result = await engine.syncNow();
    // Revoked by the service: asking again changes nothing. The frame says so; the loop waits for a
    // kick (a new enrolment, new settings, the operator's «sync now»). Nothing local is dropped.
    if (result.problem?.kind === 'revoked') {
      failures = 0;
      return;
    }
    failures = result.state === 'offline' || result.state === 'refused' ? failures + 1 : 0;
    schedule(failures === 0 ? base : retryDelayMs(policy, failures));
  };
  schedule(1_000);
  return {
    kick: () => schedule(200),
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
