// The sync status in the app frame: loaded once, then kept current by `sync.changed` events.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncStatus } from '../../src-shared/schemas/sync';
import { call, onEvent } from '../api/client';

export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null);
  /** Bumped when a sync run brought rows from the server: open screens reload what they show. */
  const dataVersion = ref(0);
  let listening = false;

  async function load() {
    status.value = await call('sync.status', {});
    if (!listening) {
      listening = true;
      onEvent('sync.changed', (next) => {
        const finishedWithRows =
          status.value?.state === 'syncing' && next.state !== 'syncing' && status.value.rowsApplied > 0;
        status.value = next;
        if (finishedWithRows || (next.state === 'online' && next.rowsApplied > 0)) dataVersion.value++;
      });
    }
  }

  async function now() {
    status.value = await call('sync.now', {});
  }

  return { status, dataVersion, load, now };
});
