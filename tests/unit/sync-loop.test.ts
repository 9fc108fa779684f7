// The sync loop (src-main/services/sync/loop.ts) on fake engines: while the service does not answer it
// probes every few seconds between the backoff's steps, and the first probe that answers runs sync at
// once; a revoked desk stops asking.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startSyncLoop } from '../../src-main/services/sync/loop';

afterEach(() => vi.useRealTimers());

describe('the sync loop', () => {
  it('is back within one probe of the service answering again, not at the next backoff step', async () => {
    vi.useFakeTimers();
    let up = false;
    const runs: number[] = [];
    let probes = 0;
    const engine = {
      syncNow: async () => (
        runs.push(Date.now()),
        { state: up ? ('online' as const) : ('offline' as const), problem: null }
      ),
      probe: async () => (probes++, up),
    };
    const loop = startSyncLoop(engine, {
      baseMs: 15_000,
      policy: { firstMs: 60_000, factor: 2, maxMs: 60_000, jitter: 0 },
      probeMs: 5_000,
    });
    await vi.advanceTimersByTimeAsync(1_000); // the first run: offline
    expect(runs).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(12_000); // two probes, nobody there
    expect(probes).toBe(2);
    expect(runs).toHaveLength(1);
    up = true;
    await vi.advanceTimersByTimeAsync(5_000); // the next probe answers: sync at once, 18 s after the failure, not 60
    expect(runs).toHaveLength(2);
    expect(runs[1]! - runs[0]!).toBeLessThanOrEqual(16_000);
    loop.stop();
  });

  it('a revoked desk stops asking until it is kicked', async () => {
    vi.useFakeTimers();
    let runs = 0;
    const loop = startSyncLoop({
      syncNow: async () => (
        runs++,
        {
          state: 'refused' as const,
          problem: { kind: 'revoked' as const, code: 'UNAUTHORIZED' as const, reason: 'auth.deskRevoked', message: '' },
        }
      ),
    });
    await vi.advanceTimersByTimeAsync(10 * 60_000);
    expect(runs).toBe(1);
    loop.kick();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs).toBe(2);
    loop.stop();
  });
});
