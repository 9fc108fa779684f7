// The sync status in the app frame: loaded once, then kept current by `sync.changed` events.
import { defineStore } from 'pinia';
import { ref } from 'vue';
import type { SyncStatus } from '../../src-shared/schemas/sync';
import { call, onEvent } from '../api/client';

export const useSyncStore = defineStore('sync', () => {
  const status = ref<SyncStatus | null>(null);
  let listening = false;

  async function load() {
    status.value = await call('sync.status', {});
    if (!listening) {
      listening = true;
      onEvent('sync.changed', (next) => (status.value = next));
    }
  }

  async function now() {
    status.value = await call('sync.now', {});
  }

  return { status, load, now };
});
