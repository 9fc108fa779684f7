// «Отправка»'s data: what waits for the central service, what it refused, and (for a supervisor) what
// sync did. Read from the main process already described (the meter's serial, the value, who, when);
// read again while the screen is open whenever the sync status says the counts or the last run
// changed, so the list is never older than the strip above it.
import { defineStore } from 'pinia';
import { ref, shallowRef, watch, type WatchStopHandle } from 'vue';
import { mayCall } from '../../src-shared/access';
import type { OutboxChange, RejectedChange } from '../../src-shared/schemas/sync';
import { call } from '../api/client';
import { useSessionStore } from './session';
import { useSyncStore } from './sync';

export type SyncEvent = { at: string; operation: string; details: Record<string, unknown> | null };

const PENDING_SHOWN = 200;

export const useOutboxStore = defineStore('outbox', () => {
  const session = useSessionStore();
  const sync = useSyncStore();
  const pending = shallowRef<OutboxChange[]>([]);
  const pendingTotal = ref(0);
  const rejected = shallowRef<RejectedChange[]>([]);
  const events = shallowRef<SyncEvent[]>([]);
  /** false until the first answer: the screen shows a skeleton, never an empty list that is not true */
  const loaded = ref(false);
  const error = ref<unknown>(null);

  /** Whether this operator settles rejected changes and sees sync's events (the capability table decides). */
  const supervises = () => !!session.operator && mayCall(session.operator.role, 'sync.resolve');

  let generation = 0;
  async function load(): Promise<void> {
    const mine = ++generation;
    try {
      const [waiting, refused, happened] = await Promise.all([
        call('sync.pending', { limit: PENDING_SHOWN }),
        call('sync.rejected', {}),
        supervises() ? call('sync.events', {}) : Promise.resolve({ events: [] }),
      ]);
      if (mine !== generation) return; // a newer load answered (or will): its lists count
      pending.value = waiting.changes;
      pendingTotal.value = waiting.total;
      rejected.value = refused.changes;
      events.value = happened.events.slice(0, 10);
      error.value = null;
      loaded.value = true;
    } catch (e) {
      if (mine === generation) error.value = e;
      throw e;
    }
  }

  /** «Синхронизировать сейчас», then the lists as they are after it. */
  async function syncNow(): Promise<void> {
    await sync.now();
    await load();
  }

  /** A supervisor closes a rejected change; the list comes back without it. */
  async function resolve(seq: number, resolution: 'corrected' | 'dismissed', note: string): Promise<void> {
    const result = await call('sync.resolve', { seq, resolution, note });
    rejected.value = result.changes;
    void sync.load().catch(() => undefined);
  }

  /**
   * While a screen shows the lists: read again when the sync status's counts or last run change (a
   * push, a pull, a refusal, a new local change). Returns the stop for the screen's unmount.
   */
  function follow(): WatchStopHandle {
    return watch(
      () => {
        const s = sync.status;
        return s ? `${s.pending}/${s.rejected}/${s.setAside}/${s.lastSyncAt}` : '';
      },
      (now, before) => {
        if (now !== before) void load().catch(() => undefined);
      },
    );
  }

  return { pending, pendingTotal, rejected, events, loaded, error, supervises, load, syncNow, resolve, follow };
});
