// The sync loop: runs the engine in the background, soon after start and after each local change,
// then on a timer, backing off with jitter while it fails (the shared sync policy, src-shared/retry.ts).
import { RETRY, retryDelayMs, type RetryPolicy } from '../../../src-shared/retry';
import type { SyncStatus } from '../../../src-shared/schemas/sync';

/** Runs sync in the background: soon after start and after each local change, then on a timer, backing off with jitter while it fails. */
export function startSyncLoop(
  engine: { syncNow(): Promise<Pick<SyncStatus, 'state' | 'problem'>>; probe?(): Promise<boolean> },
  options: { baseMs?: number; maxMs?: number; policy?: RetryPolicy; probeMs?: number } = {},
) {
  // While the service does not answer, a cheap probe (its /health) every few seconds between the
  // backoff's steps: a desk is back within that of the service answering again, not at the next step.
  const probeMs = options.probeMs ?? 5_000;
  // Every 15 s while all is well; after failures in a row, the shared sync policy (src-shared/retry.ts).
  const base = options.baseMs ?? 15_000;
  const policy: RetryPolicy =
    options.policy ??
    (options.maxMs !== undefined ? { ...RETRY.sync, firstMs: base, maxMs: options.maxMs } : RETRY.sync);
  let failures = 0;
  let timer: NodeJS.Timeout | null = null;
  let prober: NodeJS.Timeout | null = null;
  let stopped = false;
  const stopProbing = () => {
    if (prober) clearTimeout(prober);
    prober = null;
  };
  /** Probes until the next step is due; the first answer runs sync at once. */
  const probeUntil = (dueAt: number) => {
    stopProbing();
    if (!engine.probe || stopped) return;
    const next = () => {
      if (stopped || Date.now() + probeMs >= dueAt) return;
      prober = setTimeout(async () => {
        if (await engine.probe!()) schedule(0);
        else next();
      }, probeMs);
      prober.unref();
    };
    next();
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    stopProbing();
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
    const delay = failures === 0 ? base : retryDelayMs(policy, failures);
    schedule(delay);
    if (result.state === 'offline') probeUntil(Date.now() + delay);
  };
  schedule(1_000);
  return {
    kick: () => schedule(200),
    stop() {
      stopped = true;
      stopProbing();
      if (timer) clearTimeout(timer);
    },
  };
}
